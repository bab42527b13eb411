using System.Globalization;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// Turns the rows of a running SELECT into record batches. With a cursor, a batch never ends inside a run of
/// equal cursor values: the state saved after it (<c>cursor &gt; saved</c> on the next run) cannot skip rows.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private readonly SqliteStatement _statement;
    private readonly SqliteTable _table;
    private readonly int _cursorIndex;
    private readonly int _rowidIndex;
    private readonly RowBatchBuilder _rows;
    private readonly object?[] _values;

    // The current row as SQLite stores it (the columns, then the row id if selected), read once per row.
    private readonly object?[] _raw;
    private object?[]? _pending;
    private object? _pendingCursor;
    private long _rowNumber;

    private RowReader(SqliteStatement statement, SqliteTable table, int cursorIndex, int capacity)
    {
        _statement = statement;
        _table = table;
        _cursorIndex = cursorIndex;
        _rowidIndex = table.RowidAlias is null ? -1 : table.Columns.Count;
        _rows = new RowBatchBuilder(table.Schema, capacity);
        _values = new object?[table.Columns.Count];
        _raw = new object?[statement.ColumnCount];
    }

    /// <summary>The raw cursor value (long, double or text) of the last row of the last batch; null before any.</summary>
    public object? LastCursor { get; private set; }

    /// <summary>
    /// Starts <c>SELECT *[, rowid] FROM source [WHERE cursor &gt; $saved] [ORDER BY cursor]</c>.
    /// </summary>
    public static RowReader Start(SqliteDatabase database, SqliteTable table, string? cursor, object? saved, int capacity)
    {
        var quotedCursor = cursor is null ? null : SqliteDatabase.Quote(cursor);
        var sql = $"SELECT *{(table.RowidAlias is null ? "" : ", " + table.RowidAlias)} FROM {table.Source.From}"
            + (saved is null ? "" : $" WHERE {quotedCursor} > $saved")
            + (cursor is null ? "" : $" ORDER BY {quotedCursor}");
        var statement = database.Prepare(sql);
        try
        {
            if (saved is not null)
            {
                statement.Bind("$saved", saved);
            }

            var cursorIndex = cursor is null ? -1 : table.Columns.ToList().FindIndex(c => c.Name == cursor);
            return new RowReader(statement, table, cursorIndex, capacity);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    /// <summary>The next batch, or null at the end. Checks <paramref name="cancellationToken"/> between rows.</summary>
    public RecordBatch? Next(CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            _rows.Add(_pending);
            LastCursor = _pendingCursor;
            _pending = null;
        }

        while (_statement.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            _rowNumber++;
            for (var i = 0; i < _raw.Length; i++)
            {
                _raw[i] = _statement.Value(i);
            }

            Convert();
            var cursor = _cursorIndex < 0 ? null : Raw(_cursorIndex);
            if (_rows.Count >= _rows.Capacity && (_cursorIndex < 0 || !Same(cursor, LastCursor)))
            {
                _pending = (object?[])_values.Clone();
                _pendingCursor = cursor;
                break;
            }

            _rows.Add(_values);
            if (_cursorIndex >= 0)
            {
                LastCursor = cursor;
            }
        }

        return _rows.Count == 0 ? null : _rows.Build();
    }

    /// <summary>The state after the last batch: <c>{"cursor": value, "cursorField": name}</c>, or null before any cursor value.</summary>
    public JsonObject? State(string cursorField) => LastCursor switch
    {
        long integer => new JsonObject { ["cursor"] = integer, ["cursorField"] = cursorField },
        double real => new JsonObject { ["cursor"] = real, ["cursorField"] = cursorField },
        string text => new JsonObject { ["cursor"] = text, ["cursorField"] = cursorField },
        _ => null,
    };

    public void Dispose() => _statement.Dispose();

    private void Convert()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var column = _table.Columns[i];
            var raw = Raw(i);
            if (raw is null)
            {
                _values[i] = column.Nullable ? null : throw Problem(column, "is NULL in a column declared NOT NULL");
                continue;
            }

            _values[i] = ValueCoercion.Convert(raw, column, out var problem) ?? throw Problem(column, problem!);
        }

        if (_cursorIndex >= 0 && Raw(_cursorIndex) is byte[])
        {
            throw Problem(_table.Columns[_cursorIndex], "holds a BLOB, which cannot be a cursor");
        }
    }

    private object? Raw(int ordinal) => _raw[ordinal];

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => false,
    };

    private PluginException Problem(SqliteColumn column, string problem) =>
        new($"{_table.Source.Title}, column '{column.Name}' ({column.Declared}), {Row()}: {problem}. " +
            $"SQLite stores any value in any column; fix the row, or read the column through a query that converts it (e.g. CAST({column.Name} AS TEXT)).");

    private string Row()
    {
        if (_rowidIndex >= 0 && Raw(_rowidIndex) is long rowid)
        {
            return $"rowid {rowid.ToString(CultureInfo.InvariantCulture)}";
        }

        var key = _table.PrimaryKey
            .Select(k => (Name: k, Index: _table.Columns.ToList().FindIndex(c => c.Name == k)))
            .Where(k => k.Index >= 0)
            .Select(k => $"{k.Name}={(Raw(k.Index) is { } v ? ValueCoercion.Describe(v) : "NULL")}")
            .ToList();
        return $"row {_rowNumber.ToString(CultureInfo.InvariantCulture)}" + (key.Count == 0 ? "" : $" ({string.Join(", ", key)})");
    }
}
