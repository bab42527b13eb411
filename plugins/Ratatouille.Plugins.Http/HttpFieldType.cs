namespace Ratatouille.Plugins.Http;

/// <summary>The type of a column, inferred from the records or set by a field hint.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The members are the type names users write in the configuration (\"type\": \"integer\").")]
public enum HttpFieldType
{
    /// <summary>Text (Arrow Utf8). Numbers and booleans are kept as their JSON text.</summary>
    String,

    /// <summary>64-bit integer.</summary>
    Integer,

    /// <summary>64-bit floating point.</summary>
    Number,

    /// <summary>true/false.</summary>
    Boolean,

    /// <summary>An ISO-8601 date and time, stored as a UTC instant (TIMESTAMPTZ).</summary>
    Timestamp,

    /// <summary>Any JSON value kept as JSON text (DuckDB <c>JSON</c>).</summary>
    Json,
}
