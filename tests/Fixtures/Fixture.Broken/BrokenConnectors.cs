using System.Runtime.CompilerServices;
using Apache.Arrow;
using Ratatouille.Sdk;

namespace Fixture.Broken;

public sealed class NoOptions
{
    public int Rows { get; set; } = 5;
}

public abstract class BrokenBase : Connector<NoOptions>
{
    protected static readonly Schema Declared = Columns.Schema(Columns.Int64("id"), Columns.String("name"));

    public override Task<ConnectionCheckResult> CheckAsync(NoOptions options, IPluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ConnectionCheckResult.Ok());

    public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(NoOptions options, IPluginContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StreamDescriptor>>([new StreamDescriptor("items", Declared)]);

    protected static RecordBatch Good(int rows, int offset = 0)
    {
        var builder = new RowBatchBuilder(Declared);
        for (var i = 0; i < rows; i++)
        {
            builder.Add((long)(i + offset), $"item {i + offset}");
        }

        return builder.Build();
    }
}

/// <summary>Yields one good batch, then throws.</summary>
[Connector("throws-on-read")]
public sealed class ThrowsOnRead : BrokenBase
{
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(NoOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Good(options.Rows);
        await Task.Yield();
        throw new InvalidOperationException("the fixture broke on purpose while reading");
    }
}

/// <summary>Yields one batch, then blocks its thread forever, ignoring cancellation.</summary>
[Connector("hangs-on-read")]
public sealed class HangsOnRead : BrokenBase
{
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(NoOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Good(options.Rows);
        await Task.Yield();
        Thread.Sleep(Timeout.Infinite);
        yield return Good(1);
    }
}

/// <summary>Declares id BIGINT, name VARCHAR and sends the columns the other way round.</summary>
[Connector("bad-batches")]
public sealed class BadBatches : BrokenBase
{
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(NoOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Good(options.Rows);
        await Task.Yield();
        var wrong = new RowBatchBuilder(Columns.Schema(Columns.String("id"), Columns.Int64("name")));
        wrong.Add("not a number", 1L);
        yield return wrong.Build();
    }
}

/// <summary>Check blocks forever, ignoring cancellation; discovery throws.</summary>
[Connector("hangs-on-check")]
public sealed class HangsOnCheck : BrokenBase
{
    public override Task<ConnectionCheckResult> CheckAsync(NoOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return Task.FromResult(ConnectionCheckResult.Ok());
    }

    public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(NoOptions options, IPluginContext context, CancellationToken cancellationToken) =>
        throw new NullReferenceException("discovery exploded");

    public override IAsyncEnumerable<RecordBatch> ReadAsync(NoOptions options, ReadRequest request, IPluginContext context, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
