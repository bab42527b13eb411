namespace Ratatouille.Query;

/// <summary>A file that cannot be ingested, with the reason (and line, where DuckDB gives one). Nothing was committed.</summary>
public sealed class IngestException : Exception
{
    public IngestException(string message, bool tooLarge = false, Exception? inner = null)
        : base(message, inner)
    {
        TooLarge = tooLarge;
    }

    public IngestException()
    {
    }

    public IngestException(string message)
        : base(message)
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file exceeded the configured size limit.</summary>
    public bool TooLarge { get; }
}
