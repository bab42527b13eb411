namespace Ratatouille.Sdk;

/// <summary>
/// Metadata of a plugin component (a connector, transform, quality check or data app class).
/// The host finds components by these attributes; a class without one is not a component.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public abstract class ComponentAttribute : Attribute
{
    /// <param name="id">Stable id, unique among components of the same kind: lower case letters, digits, '-', '_' or '.'.</param>
    protected ComponentAttribute(string id) => Id = id;

    /// <summary>Stable id (connections and pipeline steps refer to it).</summary>
    public string Id { get; }

    /// <summary>The kind of component.</summary>
    public abstract PluginKind Kind { get; }

    /// <summary>Name shown in the UI; the id when not set.</summary>
    public string? DisplayName { get; set; }

    /// <summary>One or two sentences for the UI.</summary>
    public string? Description { get; set; }

    /// <summary>A grouping for the UI, e.g. "Databases", "Files", "APIs".</summary>
    public string? Category { get; set; }

    /// <summary>A Fluent UI icon name (e.g. "Database", "Document", "Globe") or a URL relative to the plugin's assets.</summary>
    public string? Icon { get; set; }
}

/// <summary>Marks a class implementing <see cref="IConnector"/> (usually via <see cref="Connector{TOptions}"/>).</summary>
public sealed class ConnectorAttribute(string id) : ComponentAttribute(id)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Connector;
}

/// <summary>Marks a class implementing <see cref="ITransform"/>.</summary>
public sealed class TransformAttribute(string id) : ComponentAttribute(id)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Transform;
}

/// <summary>Marks a class implementing <see cref="IQualityCheck"/>.</summary>
public sealed class QualityCheckAttribute(string id) : ComponentAttribute(id)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.QualityCheck;
}

/// <summary>Marks a class implementing <see cref="IDataApp"/>.</summary>
public sealed class DataAppAttribute(string id) : ComponentAttribute(id)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.DataApp;
}

/// <summary>
/// Marks an options property as a secret (password, token, key). The host stores its value in the
/// encrypted secret store, never returns it through the API (a mask is shown instead) and the UI
/// renders a password field. Only <see cref="string"/> properties may be secrets.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class SecretAttribute : Attribute;
