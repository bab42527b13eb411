namespace Ratatouille.Plugins;

/// <summary>A plugin could not be loaded or activated; the message says why.</summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException(string message) : base(message)
    {
    }

    public PluginLoadException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public PluginLoadException()
    {
    }
}

/// <summary>What went wrong in an operation involving plugins.</summary>
public enum PluginErrorKind
{
    /// <summary>No such plugin, connector, connection, stream or run.</summary>
    NotFound,

    /// <summary>The request is invalid (bad configuration, bad name, wrong layer).</summary>
    Invalid,

    /// <summary>It exists already, or conflicts with something running.</summary>
    Conflict,

    /// <summary>The plugin is not active (disabled, incompatible, faulted).</summary>
    Unavailable,

    /// <summary>The plugin reported an error on purpose (e.g. wrong password): its message is for the user.</summary>
    Reported,

    /// <summary>The plugin crashed, hung or broke its contract.</summary>
    Faulted,
}

/// <summary>An operation involving a plugin failed; <see cref="Exception.Message"/> is meant for the user.</summary>
public sealed class PluginOperationException : Exception
{
    public PluginOperationException(PluginErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public PluginOperationException() : this(PluginErrorKind.Faulted, "plugin operation failed")
    {
    }

    public PluginOperationException(string message) : this(PluginErrorKind.Faulted, message)
    {
    }

    public PluginOperationException(string message, Exception innerException) : this(PluginErrorKind.Faulted, message, innerException)
    {
    }

    public PluginErrorKind Kind { get; }

    /// <summary>Extra details (e.g. every configuration error), when there are several.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
