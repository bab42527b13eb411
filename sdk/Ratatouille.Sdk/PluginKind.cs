namespace Ratatouille.Sdk;

/// <summary>What a plugin component contributes to the platform.</summary>
public enum PluginKind
{
    /// <summary>A source of data: configuration, connection check, stream discovery, reading record batches.</summary>
    Connector,

    /// <summary>Datasets in, dataset out: SQL for the engine, or record batch processing.</summary>
    Transform,

    /// <summary>Evaluates a dataset and reports passed/failed with evidence.</summary>
    QualityCheck,

    /// <summary>A page in the web app that reads data through the query context or the REST API.</summary>
    DataApp,
}
