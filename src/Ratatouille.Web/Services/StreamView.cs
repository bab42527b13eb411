using Ratatouille.Plugins;
using Ratatouille.Sdk;

namespace Ratatouille.Web.Services;

/// <summary>A discovered stream as the page shows it (the same figures as GET /api/v1/connections/{name}/streams).</summary>
public sealed record StreamView(
    string Name,
    string? Description,
    IReadOnlyList<StreamColumnView> Columns,
    IReadOnlyList<string> Modes,
    IReadOnlyList<string> CursorFields,
    string? DefaultCursorField,
    IReadOnlyList<string> PrimaryKey)
{
    public const string Full = "full";
    public const string Incremental = "incremental";

    public static StreamView From(StreamDescriptor stream) => new(
        stream.Name,
        stream.Description,
        stream.Schema.FieldsList.Select(f => new StreamColumnView(f.Name, ArrowTypeNames.Describe(f), f.IsNullable)).ToList(),
        stream.SupportedModes.Select(m => m == SyncMode.Full ? Full : Incremental).ToList(),
        stream.CursorFields.ToList(),
        stream.DefaultCursorField,
        stream.PrimaryKey.ToList());
}
