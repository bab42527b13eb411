namespace Ratatouille.Security;

/// <summary>What went wrong, so the API can pick a status code.</summary>
public enum SecurityError
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>A security operation refused for a reason the user can act on.</summary>
public sealed class SecurityException : Exception
{
    public SecurityException(SecurityError error, string message)
        : base(message)
    {
        Error = error;
    }

    public SecurityException()
    {
    }

    public SecurityException(string message)
        : base(message)
    {
    }

    public SecurityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SecurityError Error { get; }
}
