using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>A described source: its columns, key, cursor candidates and the row id to name rows by.</summary>
/// <param name="RowidAlias">rowid, _rowid_ or oid (whichever no column shadows) for tables that have one; null otherwise.</param>
internal sealed record SqliteTable(SqliteSource Source, IReadOnlyList<SqliteColumn> Columns, IReadOnlyList<string> PrimaryKey, string? DefaultCursor, string? RowidAlias)
{
    public Schema Schema { get; } = Ratatouille.Sdk.Columns.Schema(Columns.Select(c => c.ToField()));

    public StreamDescriptor ToDescriptor(string file) => new(Source.Name, Schema)
    {
        Description = Source.Kind == SourceKind.Query ? $"Query on {file}: {Cut(Source.Sql!)}" : $"{Source.Kind} {Source.Name} in {file}",
        SupportedModes = DefaultCursor is null ? [SyncMode.Full] : [SyncMode.Full, SyncMode.Incremental],
        CursorFields = Columns.Where(c => c.CanBeCursor).Select(c => c.Name).ToList(),
        DefaultCursorField = DefaultCursor,
        PrimaryKey = PrimaryKey,
    };

    private static string Cut(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 120 ? flat : flat[..117] + "…";
    }
}
