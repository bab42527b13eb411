using System.Text.Json;
using Ratatouille.Query;

namespace Ratatouille.Web.Services;

/// <summary>
/// Runs a statement for a UI page. Pages are small (at most a thousand rows), so the engine's JSON
/// output is buffered and parsed: the UI then shows exactly what the REST API would return.
/// </summary>
public sealed class UiQueryRunner(QueryEngine engine)
{
    /// <exception cref="QueryException">The statement is refused, invalid, or timed out.</exception>
    public async Task<QueryResult> RunAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await engine.RunAsync(request, OutputFormat.Json, buffer, cancellationToken);
        buffer.Position = 0;
        using var document = await JsonDocument.ParseAsync(buffer, cancellationToken: cancellationToken);
        return Parse(document.RootElement);
    }

    public static QueryResult Parse(JsonElement root)
    {
        var columns = root.GetProperty("columns").EnumerateArray()
            .Select(c => new ResultColumn(c.GetProperty("name").GetString() ?? string.Empty, c.GetProperty("type").GetString() ?? string.Empty))
            .ToList();
        var rows = root.GetProperty("rows").EnumerateArray()
            .Select(r => new ResultRow(r.EnumerateArray().Select(CellText).ToList()))
            .ToList();
        return new QueryResult(
            columns,
            rows,
            root.TryGetProperty("truncated", out var truncated) && truncated.GetBoolean(),
            root.TryGetProperty("elapsedMs", out var elapsed) ? elapsed.GetDouble() : 0);
    }

    /// <summary>
    /// Strings as they are (so <c>00123</c> stays <c>00123</c>), numbers as their exact JSON text
    /// (no double rounding of DECIMAL/BIGINT), lists and structs as compact JSON.
    /// </summary>
    public static string? CellText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
