using Ratatouille.Catalog.Model;

namespace Ratatouille.Query;

/// <summary>
/// Builds the data API's statements (<c>GET …/rows</c>): projection, filters and ordering are
/// checked against the dataset's columns and every value is a typed parameter, so nothing a
/// caller sends is spliced into SQL. Pages read one pinned snapshot, so paging is stable while
/// the dataset changes.
/// </summary>
public sealed class RowsQueryBuilder(QueryEngine engine)
{
    private static readonly Dictionary<string, string> Comparisons = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = "=", ["ne"] = "<>", ["lt"] = "<", ["le"] = "<=", ["gt"] = ">", ["ge"] = ">=",
    };

    public async Task<(QueryRequest Request, long SnapshotId)> BuildAsync(
        DatasetName dataset,
        long? snapshotId,
        string? select,
        string? orderBy,
        IReadOnlyList<string> filters,
        int? limit,
        long offset,
        CancellationToken cancellationToken)
    {
        if (offset < 0)
        {
            throw new QueryException(QueryErrorKind.Invalid, "offset must be zero or more.");
        }

        if (limit is < 0)
        {
            throw new QueryException(QueryErrorKind.Invalid, "limit must be zero or more.");
        }

        var (relation, schema, snapshot) = await engine.ResolveRelationAsync(dataset, snapshotId, cancellationToken);
        var parameters = new List<object?>();
        var projection = string.IsNullOrWhiteSpace(select)
            ? "*"
            : string.Join(", ", Split(select).Select(c => Sql.Ident(Column(schema, c, dataset).Name)));

        var where = new List<string>();
        foreach (var filter in filters.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            where.Add(FilterSql(filter, schema, dataset, parameters));
        }

        var order = string.IsNullOrWhiteSpace(orderBy) ? [] : Split(orderBy).Select(o => OrderSql(o, schema, dataset)).ToList();
        var sql = $"SELECT {projection} FROM {relation}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
            + (order.Count > 0 ? " ORDER BY " + string.Join(", ", order) : string.Empty);
        return (new QueryRequest(sql) { Limit = limit, Offset = offset, Parameters = parameters }, snapshot);
    }

    private static string FilterSql(string filter, IReadOnlyList<ColumnSchema> schema, DatasetName dataset, List<object?> parameters)
    {
        // column:op[:value]  — value may itself contain ':'.
        var parts = filter.Split(':', 3);
        if (parts.Length < 2)
        {
            throw new QueryException(QueryErrorKind.Invalid, $"Filter '{filter}' must look like column:op:value (op: eq, ne, lt, le, gt, ge, like, ilike, in, isnull, notnull).");
        }

        var column = Column(schema, parts[0], dataset);
        var ident = Sql.Ident(column.Name);
        var op = parts[1].ToLowerInvariant();
        switch (op)
        {
            case "isnull":
                return $"{ident} IS NULL";
            case "notnull":
                return $"{ident} IS NOT NULL";
        }

        if (parts.Length < 3)
        {
            throw new QueryException(QueryErrorKind.Invalid, $"Filter '{filter}' needs a value: column:{op}:value.");
        }

        var value = parts[2];
        if (Comparisons.TryGetValue(op, out var comparison))
        {
            parameters.Add(value);
            return $"{ident} {comparison} CAST(${parameters.Count} AS {column.Type})";
        }

        switch (op)
        {
            case "like":
            case "ilike":
                parameters.Add(value);
                return $"CAST({ident} AS VARCHAR) {op.ToUpperInvariant()} ${parameters.Count}";
            case "in":
                var items = value.Split('|').Select(v =>
                {
                    parameters.Add(v);
                    return $"CAST(${parameters.Count} AS {column.Type})";
                });
                return $"{ident} IN ({string.Join(", ", items)})";
            default:
                throw new QueryException(QueryErrorKind.Invalid, $"Unknown filter operator '{op}' (use eq, ne, lt, le, gt, ge, like, ilike, in, isnull, notnull).");
        }
    }

    private static string OrderSql(string item, IReadOnlyList<ColumnSchema> schema, DatasetName dataset)
    {
        var descending = item.StartsWith('-');
        var name = descending ? item[1..] : item;
        var colon = name.LastIndexOf(':');
        if (colon > 0)
        {
            var direction = name[(colon + 1)..].ToLowerInvariant();
            descending = direction switch
            {
                "desc" => true,
                "asc" => false,
                _ => throw new QueryException(QueryErrorKind.Invalid, $"Sort direction must be asc or desc, not '{direction}'."),
            };
            name = name[..colon];
        }

        return Sql.Ident(Column(schema, name, dataset).Name) + (descending ? " DESC NULLS LAST" : " ASC NULLS LAST");
    }

    private static ColumnSchema Column(IReadOnlyList<ColumnSchema> schema, string name, DatasetName dataset)
    {
        var trimmed = name.Trim();
        return schema.FirstOrDefault(c => string.Equals(c.Name, trimmed, StringComparison.Ordinal))
            ?? schema.FirstOrDefault(c => string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? throw new QueryException(QueryErrorKind.Invalid, $"Dataset {dataset} has no column '{trimmed}'. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
