using System.Text.RegularExpressions;

namespace Ratatouille.Catalog.Model;

/// <summary>
/// A dataset's address: <c>&lt;layer&gt;.&lt;name&gt;</c>. Names are lowercase SQL identifiers so
/// they are the same in the catalog, in DuckDB and in URLs.
/// </summary>
public readonly partial record struct DatasetName
{
    private DatasetName(Layer layer, string name)
    {
        Layer = layer;
        Name = name;
    }

    public Layer Layer { get; }

    public string Name { get; }

    public string LayerName => Layer.ToString().ToLowerInvariant();

    public static DatasetName Create(string layer, string name)
    {
        if (!TryParseLayer(layer, out var parsedLayer))
        {
            throw new CatalogException(CatalogError.InvalidName, $"Unknown layer '{layer}': use bronze, silver or gold.");
        }

        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new CatalogException(
                CatalogError.InvalidName,
                $"Invalid dataset name '{name}': use 1–63 lowercase letters, digits and underscores, starting with a letter.");
        }

        return new DatasetName(parsedLayer, name);
    }

    /// <summary>Parses <c>layer.name</c>.</summary>
    public static DatasetName Parse(string qualified)
    {
        var dot = qualified.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw new CatalogException(CatalogError.InvalidName, $"'{qualified}' is not a dataset name: expected <layer>.<name>, e.g. bronze.orders.");
        }

        return Create(qualified[..dot], qualified[(dot + 1)..]);
    }

    public static bool TryParseLayer(string value, out Layer layer)
    {
        switch (value)
        {
            case "bronze": layer = Layer.Bronze; return true;
            case "silver": layer = Layer.Silver; return true;
            case "gold": layer = Layer.Gold; return true;
            default: layer = default; return false;
        }
    }

    public override string ToString() => $"{LayerName}.{Name}";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
