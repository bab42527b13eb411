using System.Diagnostics;
using System.Text.Json.Nodes;
using Apache.Arrow;

namespace Ratatouille.Sdk.Testing;

/// <summary>What one read of a stream gave.</summary>
/// <param name="Rows">Every row, as column name → value (see <see cref="ArrowValues.Get"/>).</param>
/// <param name="Batches">How many batches the connector yielded.</param>
/// <param name="Checkpoint">The last state the connector saved, or null.</param>
public sealed record ReadResult(IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows, int Batches, JsonNode? Checkpoint);

/// <summary>One conformance check and its outcome.</summary>
public sealed record ConformanceCheck(string Name, bool Passed, string Message);

/// <summary>The outcome of <see cref="ConnectorHarness.CheckConformanceAsync"/>.</summary>
public sealed class ConformanceReport
{
    internal ConformanceReport(IReadOnlyList<ConformanceCheck> checks) => Checks = checks;

    /// <summary>Every check run, in order.</summary>
    public IReadOnlyList<ConformanceCheck> Checks { get; }

    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Throws <see cref="ConformanceException"/> listing the failed checks, if any.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new ConformanceException(string.Join(Environment.NewLine, Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Message}")));
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(Environment.NewLine, Checks.Select(c => $"[{(c.Passed ? "pass" : "FAIL")}] {c.Name}: {c.Message}"));
}

/// <summary>A connector broke its contract.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConformanceException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConformanceException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConformanceException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Settings for <see cref="ConnectorHarness.CheckConformanceAsync"/>.</summary>
public sealed record ConformanceOptions
{
    /// <summary>Streams to read (all discovered ones when null).</summary>
    public IReadOnlyList<string>? Streams { get; init; }

    /// <summary>How long a cancelled read may take to stop.</summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether to check that an incremental read resumed from its own checkpoint returns no rows
    /// (true when the source does not change during the test).
    /// </summary>
    public bool CheckIncrementalResume { get; init; } = true;
}

/// <summary>
/// Runs a connector the way the platform does — options bound and validated from JSON, batches
/// checked against the discovered schema — without a server.
/// </summary>
public sealed class ConnectorHarness
{
    /// <summary>Creates a harness around <paramref name="connector"/>.</summary>
    public ConnectorHarness(IConnector connector, TestPluginContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        Connector = connector;
        Context = context ?? new TestPluginContext();
    }

    /// <summary>The connector under test.</summary>
    public IConnector Connector { get; }

    /// <summary>The context passed to every call.</summary>
    public TestPluginContext Context { get; }

    /// <summary>The options schema the UI would render.</summary>
    public JsonObject OptionsSchemaJson => OptionsSchema.Generate(Connector.OptionsType);

    /// <summary>Binds and validates JSON configuration exactly as the platform does.</summary>
    public object Bind(JsonNode? configuration) => OptionsSchema.Bind(Connector.OptionsType, configuration);

    /// <summary>Checks the connection.</summary>
    public Task<ConnectionCheckResult> CheckAsync(object options, CancellationToken cancellationToken = default) =>
        Connector.CheckAsync(options, Context, cancellationToken);

    /// <summary>Discovers the streams.</summary>
    public Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(object options, CancellationToken cancellationToken = default) =>
        Connector.DiscoverAsync(options, Context, cancellationToken);

    /// <summary>
    /// Reads a stream to the end, checking every batch against the discovered schema.
    /// </summary>
    /// <exception cref="ConformanceException">The stream is unknown, or a batch contradicts its schema.</exception>
    public async Task<ReadResult> ReadAsync(object options, string stream, SyncMode mode = SyncMode.Full, JsonNode? state = null, string? cursorField = null, CancellationToken cancellationToken = default)
    {
        var streams = await DiscoverAsync(options, cancellationToken);
        var descriptor = streams.FirstOrDefault(s => s.Name == stream)
            ?? throw new ConformanceException($"Stream '{stream}' is not among the discovered streams ({string.Join(", ", streams.Select(s => s.Name))}).");
        var request = new ReadRequest(stream, mode, state, cursorField);
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        var batches = 0;
        await foreach (var batch in Connector.ReadAsync(options, request, Context, cancellationToken))
        {
            using (batch)
            {
                batches++;
                if (ArrowValues.SchemaMismatch(descriptor.Schema, batch.Schema) is { } problem)
                {
                    throw new ConformanceException($"Batch {batches} of '{stream}' contradicts the discovered schema: {problem}.");
                }

                CheckNulls(descriptor.Schema, batch, stream, batches);
                rows.AddRange(ArrowValues.Rows(batch));
            }
        }

        return new ReadResult(rows, batches, request.Checkpoint);
    }

    /// <summary>
    /// Runs the conformance checks: the options spec is valid, the connection check passes, discovery
    /// returns well-formed streams, every stream reads with batches matching its schema, a cancelled
    /// read stops promptly, and an incremental read resumed from its checkpoint returns nothing new.
    /// </summary>
    public async Task<ConformanceReport> CheckConformanceAsync(object options, ConformanceOptions? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new ConformanceOptions();
        var checks = new List<ConformanceCheck>();

        checks.Add(Run("spec", () =>
        {
            var schema = OptionsSchemaJson;
            var secrets = OptionsSchema.SecretPaths(Connector.OptionsType);
            OptionsSchema.Validate(options).ToList().ForEach(e => throw new ConformanceException($"the options given are invalid: {e}"));
            return $"{(schema["properties"] as JsonObject)?.Count ?? 0} options, {secrets.Count} secret(s)";
        }));

        try
        {
            var check = await CheckAsync(options, cancellationToken);
            checks.Add(new("check", check.Success, check.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks.Add(new("check", false, $"threw {ex.GetType().Name}: {ex.Message} (report failures with ConnectionCheckResult.Failed)"));
        }

        IReadOnlyList<StreamDescriptor> streams;
        try
        {
            streams = await DiscoverAsync(options, cancellationToken);
            checks.Add(Run("discover", () => DescribeStreams(streams)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks.Add(new("discover", false, $"threw {ex.GetType().Name}: {ex.Message}"));
            return new ConformanceReport(checks);
        }

        foreach (var stream in streams.Where(s => settings.Streams is null || settings.Streams.Contains(s.Name)))
        {
            checks.Add(await RunAsync($"read {stream.Name}", async () =>
            {
                var result = await ReadAsync(options, stream.Name, SyncMode.Full, cancellationToken: cancellationToken);
                return $"{result.Rows.Count} rows in {result.Batches} batches";
            }));
            checks.Add(await RunAsync($"cancel {stream.Name}", () => CheckCancellationAsync(options, stream, settings.CancellationGrace)));
            if (settings.CheckIncrementalResume && stream.SupportedModes.Contains(SyncMode.Incremental))
            {
                checks.Add(await RunAsync($"incremental {stream.Name}", async () =>
                {
                    var first = await ReadAsync(options, stream.Name, SyncMode.Incremental, cancellationToken: cancellationToken);
                    if (first.Rows.Count > 0 && first.Checkpoint is null)
                    {
                        throw new ConformanceException("an incremental read returned rows but saved no state (call ReadRequest.SaveState after yielding)");
                    }

                    var second = await ReadAsync(options, stream.Name, SyncMode.Incremental, first.Checkpoint, cancellationToken: cancellationToken);
                    return second.Rows.Count == 0
                        ? $"{first.Rows.Count} rows, then none from the checkpoint {first.Checkpoint?.ToJsonString()}"
                        : throw new ConformanceException($"resuming from the checkpoint {first.Checkpoint?.ToJsonString()} read {second.Rows.Count} rows again");
                }));
            }
        }

        return new ConformanceReport(checks);
    }

    private async Task<string> CheckCancellationAsync(object options, StreamDescriptor stream, TimeSpan grace)
    {
        using var cancellation = new CancellationTokenSource();
        var request = new ReadRequest(stream.Name, SyncMode.Full) { PreferredBatchRows = 1 };
        var watch = new Stopwatch();
        var reading = Task.Run(async () =>
        {
            var batches = 0;
            await foreach (var batch in Connector.ReadAsync(options, request, Context, cancellation.Token))
            {
                batch.Dispose();
                batches++;
                if (batches == 1)
                {
                    await cancellation.CancelAsync();
                    watch.Start();
                }
            }

            return batches;
        }, CancellationToken.None);

        if (await Task.WhenAny(reading, Task.Delay(grace + TimeSpan.FromSeconds(30), CancellationToken.None)) != reading)
        {
            await cancellation.CancelAsync();
            throw new ConformanceException("the read did not finish (it ignores cancellation or never ends)");
        }

        try
        {
            var batches = await reading;
            return batches <= 1
                ? "the stream had at most one batch; cancellation not exercised"
                : throw new ConformanceException($"the read went on for {batches - 1} more batches after its token was cancelled");
        }
        catch (OperationCanceledException)
        {
            return watch.Elapsed <= grace
                ? $"stopped {watch.Elapsed.TotalMilliseconds:0} ms after cancellation"
                : throw new ConformanceException($"stopped only {watch.Elapsed.TotalSeconds:0.0} s after cancellation");
        }
    }

    private static string DescribeStreams(IReadOnlyList<StreamDescriptor> streams)
    {
        if (streams.Count == 0)
        {
            throw new ConformanceException("no streams discovered");
        }

        foreach (var stream in streams)
        {
            if (string.IsNullOrWhiteSpace(stream.Name))
            {
                throw new ConformanceException("a stream has no name");
            }

            if (stream.Schema.FieldsList.Count == 0)
            {
                throw new ConformanceException($"stream '{stream.Name}' has no columns");
            }

            var duplicate = stream.Schema.FieldsList.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ConformanceException($"stream '{stream.Name}' has the column '{duplicate.Key}' twice");
            }

            if (!stream.SupportedModes.Contains(SyncMode.Full))
            {
                throw new ConformanceException($"stream '{stream.Name}' does not support full refresh");
            }

            if (stream.DefaultCursorField is { } cursor && !stream.CursorFields.Contains(cursor))
            {
                throw new ConformanceException($"stream '{stream.Name}': default cursor '{cursor}' is not among its cursor fields");
            }
        }

        if (streams.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ConformanceException($"stream '{twice.Key}' is discovered twice");
        }

        return $"{streams.Count} stream(s): {string.Join(", ", streams.Select(s => s.Name))}";
    }

    private static void CheckNulls(Schema schema, RecordBatch batch, string stream, int number)
    {
        for (var i = 0; i < schema.FieldsList.Count; i++)
        {
            if (!schema.FieldsList[i].IsNullable && batch.Column(i).NullCount > 0)
            {
                throw new ConformanceException($"Batch {number} of '{stream}' has nulls in the non-nullable column '{schema.FieldsList[i].Name}'.");
            }
        }
    }

    private static ConformanceCheck Run(string name, Func<string> check)
    {
        try
        {
            return new(name, true, check());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(name, false, ex.Message);
        }
    }

    private static async Task<ConformanceCheck> RunAsync(string name, Func<Task<string>> check)
    {
        try
        {
            return new(name, true, await check());
        }
        catch (Exception ex) when (ex is ConformanceException or PluginException or InvalidOperationException or NotSupportedException or ArgumentException or IOException or HttpRequestException)
        {
            return new(name, false, ex.Message);
        }
    }
}
