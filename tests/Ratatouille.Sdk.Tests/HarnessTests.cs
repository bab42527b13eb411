using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Sdk.Tests;

/// <summary>The harness must pass a connector that keeps the contract and catch one that breaks it.</summary>
public sealed class HarnessTests
{
    public sealed class CounterOptions
    {
        public int Count { get; set; } = 10;

        public bool IgnoreCancellation { get; set; }

        public bool WrongSchema { get; set; }

        public bool ForgetState { get; set; }
    }

    [Connector("counter")]
    public sealed class Counter : Connector<CounterOptions>
    {
        private static readonly Schema Declared = Columns.Schema(Columns.Int64("n", nullable: false));

        public override Task<ConnectionCheckResult> CheckAsync(CounterOptions options, IPluginContext context, CancellationToken cancellationToken) =>
            Task.FromResult(ConnectionCheckResult.Ok());

        public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(CounterOptions options, IPluginContext context, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StreamDescriptor>>([new StreamDescriptor("n", Declared) { SupportedModes = [SyncMode.Full, SyncMode.Incremental], CursorFields = ["n"] }]);

        public override async IAsyncEnumerable<RecordBatch> ReadAsync(CounterOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var start = request.State?["n"]?.GetValue<long>() ?? 0;
            var schema = options.WrongSchema ? Columns.Schema(Columns.String("n")) : Declared;
            for (var n = start + 1; n <= options.Count; n++)
            {
                if (!options.IgnoreCancellation)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var rows = new RowBatchBuilder(schema, 1);
                rows.Add(options.WrongSchema ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : n);
                yield return rows.Build();
                if (!options.ForgetState)
                {
                    request.SaveState(new JsonObject { ["n"] = n });
                }

                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task A_connector_that_keeps_the_contract_passes()
    {
        var harness = new ConnectorHarness(new Counter());
        var report = await harness.CheckConformanceAsync(harness.Bind(new JsonObject { ["count"] = 5 }));
        report.ThrowIfFailed();
        Assert.Contains(report.Checks, c => c.Name == "incremental n" && c.Passed);
        var read = await harness.ReadAsync(harness.Bind(null), "n", SyncMode.Incremental, JsonNode.Parse("""{"n": 7}"""));
        Assert.Equal([8L, 9L, 10L], read.Rows.Select(r => r["n"]));
        Assert.Equal(10, read.Checkpoint!["n"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("ignoreCancellation", "cancel n")]
    [InlineData("wrongSchema", "read n")]
    [InlineData("forgetState", "incremental n")]
    public async Task A_connector_that_breaks_the_contract_fails_the_matching_check(string flag, string check)
    {
        var harness = new ConnectorHarness(new Counter());
        var report = await harness.CheckConformanceAsync(harness.Bind(new JsonObject { ["count"] = 50, [flag] = true }));
        Assert.False(report.Passed, report.ToString());
        Assert.Contains(report.Checks, c => c.Name == check && !c.Passed);
        Assert.Throws<ConformanceException>(report.ThrowIfFailed);
    }
}
