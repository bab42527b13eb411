using Apache.Arrow;

namespace Ratatouille.Plugins.Http;

/// <summary>The columns of a stream and where each record key goes.</summary>
internal sealed class StreamSchema
{
    private readonly Dictionary<string, int> _indexByKey;

    public StreamSchema(IReadOnlyList<ColumnSpec> columns)
    {
        Columns = columns;
        Arrow = Ratatouille.Sdk.Columns.Schema(columns.Select(c => c.ToField()));
        _indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            _indexByKey.TryAdd(columns[i].Key, i);
        }
    }

    public IReadOnlyList<ColumnSpec> Columns { get; }

    public Schema Arrow { get; }

    /// <summary>The column index of a record key, or -1 for a key that is not a column (ignored).</summary>
    public int IndexOf(string key) => _indexByKey.TryGetValue(key, out var index) ? index : -1;
}
