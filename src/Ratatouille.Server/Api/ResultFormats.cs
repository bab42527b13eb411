using Microsoft.Net.Http.Headers;
using Ratatouille.Query;

namespace Ratatouille.Server.Api;

/// <summary>Content negotiation for query results: a <c>format</c> parameter wins, then <c>Accept</c>.</summary>
internal static class ResultFormats
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";
    public const string Parquet = "application/vnd.apache.parquet";
    public const string Arrow = "application/vnd.apache.arrow.stream";

    public static OutputFormat Resolve(HttpRequest request, string? format)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToLowerInvariant() switch
            {
                "json" => OutputFormat.Json,
                "csv" => OutputFormat.Csv,
                "parquet" => OutputFormat.Parquet,
                "arrow" => OutputFormat.Arrow,
                _ => throw new QueryException(QueryErrorKind.Invalid, $"Unknown format '{format}': use json, csv, parquet or arrow."),
            };
        }

        var accepted = request.GetTypedHeaders().Accept;
        if (accepted is null || accepted.Count == 0)
        {
            return OutputFormat.Json;
        }

        foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
        {
            var type = media.MediaType.Value?.ToLowerInvariant();
            switch (type)
            {
                case "application/json" or "application/*" or "*/*" or "text/json":
                    return OutputFormat.Json;
                case "text/csv" or "text/*":
                    return OutputFormat.Csv;
                case "application/vnd.apache.parquet" or "application/x-parquet" or "application/parquet":
                    return OutputFormat.Parquet;
                case "application/vnd.apache.arrow.stream" or "application/vnd.apache.arrow":
                    return OutputFormat.Arrow;
            }
        }

        throw new NotAcceptableException(string.Join(", ", accepted.Select(a => a.MediaType.Value)));
    }

    public static void Prepare(HttpResponse response, OutputFormat format, string fileStem)
    {
        response.ContentType = format switch
        {
            OutputFormat.Json => "application/json; charset=utf-8",
            OutputFormat.Csv => "text/csv; charset=utf-8",
            OutputFormat.Parquet => Parquet,
            _ => Arrow,
        };
        if (format != OutputFormat.Json)
        {
            var extension = format switch { OutputFormat.Csv => "csv", OutputFormat.Parquet => "parquet", _ => "arrows" };
            response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = $"{fileStem}.{extension}" }.ToString();
        }
    }
}

/// <summary>The client asked only for formats the endpoint cannot produce.</summary>
internal sealed class NotAcceptableException(string requested)
    : Exception($"Cannot produce {requested}: use application/json, text/csv, {ResultFormats.Parquet} or {ResultFormats.Arrow}.");
