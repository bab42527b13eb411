using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Humanizer;
using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Fixture.Numbers;

public sealed class NumbersOptions
{
    [Range(0, 10_000_000)]
    [Description("How many numbers the source holds.")]
    public int Count { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int BatchRows { get; set; } = 1000;

    [Secret]
    [Description("Must equal 'open-sesame' when set.")]
    public string? Token { get; set; }

    public NestedOptions Nested { get; set; } = new();

    [Description("Throw after yielding this many rows (to test failed runs).")]
    public int? FailAfter { get; set; }
}

public sealed class NestedOptions
{
    [Secret]
    public string? Password { get; set; }

    public string Label { get; set; } = "n";
}

/// <summary>Numbers 1..Count with their squares, words and the Humanizer version that wrote them.</summary>
[Connector("numbers", DisplayName = "Numbers (fixture)", Category = "Tests", Icon = "NumberSymbol")]
public sealed class NumbersConnector : Connector<NumbersOptions>
{
#if V2
    public const string Generation = "v2";
#else
    public const string Generation = "v1";
#endif

    private static readonly Schema StreamSchema = Columns.Schema(
        Columns.Int64("id", nullable: false),
        Columns.Int64("square"),
        Columns.String("words"),
        Columns.String("generation"),
        Columns.String("library"));

    public override Task<ConnectionCheckResult> CheckAsync(NumbersOptions options, IPluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(options.Token is null or "open-sesame"
            ? ConnectionCheckResult.Ok($"{options.Count} numbers ({Generation}, password {(options.Nested.Password is null ? "unset" : "set")})")
            : ConnectionCheckResult.Failed("The token is wrong."));

    public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(NumbersOptions options, IPluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StreamDescriptor>>(
        [
            new StreamDescriptor("numbers", StreamSchema)
            {
                SupportedModes = [SyncMode.Full, SyncMode.Incremental],
                CursorFields = ["id"],
                DefaultCursorField = "id",
                PrimaryKey = ["id"],
            },
        ]);

    public override async IAsyncEnumerable<RecordBatch> ReadAsync(NumbersOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (request.Stream != "numbers")
        {
            throw new PluginException($"No stream '{request.Stream}'.");
        }

        var start = request.Mode == SyncMode.Incremental && request.State?["last"] is { } last ? last.GetValue<long>() + 1 : 1;

        // Careless on purpose: the platform masks the connection's secrets in what plugins log.
        Log.Reading(context.Logger, start, options.Count, options.Token ?? "none");
        var rows = new RowBatchBuilder(StreamSchema, Math.Min(options.BatchRows, request.PreferredBatchRows));
        var library = typeof(Humanizer.NumberToWordsExtension).Assembly.GetName().Version!.ToString();
        for (long n = start; n <= options.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.Add(n, n * n, n <= 3999 ? ((int)n).ToRoman() : null, Generation, library);
            if (rows.IsFull)
            {
                yield return rows.Build();
                request.SaveState(new JsonObject { ["last"] = n });
                await Task.Yield();
            }

            if (options.FailAfter is { } limit && n - start + 1 >= limit)
            {
                throw new IOException($"the source went away after {limit} rows");
            }
        }

        if (rows.Count > 0)
        {
            yield return rows.Build();
        }

        request.SaveState(new JsonObject { ["last"] = Math.Max(start - 1, options.Count) });
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Reading numbers {Start} to {Count} with token {Token}")]
    public static partial void Reading(ILogger logger, long start, int count, string token);
}
