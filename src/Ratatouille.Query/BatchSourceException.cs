namespace Ratatouille.Query;

/// <summary>
/// An Arrow batch source failed the write: it threw (the inner exception is what it threw), sent
/// nothing within the idle timeout, sent a batch that contradicts its declared schema, or a value
/// DuckDB could not convert. Nothing was committed.
/// </summary>
public sealed class BatchSourceException : Exception
{
    public BatchSourceException()
    {
    }

    public BatchSourceException(string message)
        : base(message)
    {
    }

    public BatchSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
