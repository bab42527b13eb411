using Apache.Arrow;
using Ratatouille.Sdk;

namespace Fixture.CtorThrows;

public sealed class Options
{
}

[Connector("ctor-throws")]
public sealed class CtorThrows : Connector<Options>
{
    public CtorThrows() => throw new InvalidOperationException("cannot start without a license file");

    public override Task<ConnectionCheckResult> CheckAsync(Options options, IPluginContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(Options options, IPluginContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override IAsyncEnumerable<RecordBatch> ReadAsync(Options options, ReadRequest request, IPluginContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
}
