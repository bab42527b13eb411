namespace Ratatouille.Sdk;

/// <summary>
/// An error a plugin reports to the user on purpose (wrong password, unknown table, bad response).
/// The host shows its message as is; any other exception is reported as a plugin fault.
/// </summary>
public class PluginException : Exception
{
    /// <summary>Creates an error with a message meant for the user.</summary>
    public PluginException(string message) : base(message)
    {
    }

    /// <summary>Creates an error with a message meant for the user and the cause.</summary>
    public PluginException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an error without a message (prefer the other constructors).</summary>
    public PluginException()
    {
    }
}
