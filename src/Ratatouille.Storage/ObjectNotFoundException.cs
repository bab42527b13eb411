namespace Ratatouille.Storage;

/// <summary>Thrown when an object that must exist does not.</summary>
public sealed class ObjectNotFoundException : Exception
{
    public ObjectNotFoundException(string key)
        : base($"Object '{key}' does not exist in the object store.")
    {
        Key = key;
    }

    public ObjectNotFoundException()
    {
        Key = string.Empty;
    }

    public ObjectNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    public string Key { get; }
}
