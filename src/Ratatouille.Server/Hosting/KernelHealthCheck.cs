using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ratatouille.Catalog;
using Ratatouille.Query;
using Ratatouille.Storage;

namespace Ratatouille.Server.Hosting;

/// <summary>Ready = the metadata store, the query engine and the object store all answer.</summary>
public sealed class KernelHealthCheck(MetadataStore metadata, QueryEngine engine, IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        try
        {
            data["metadata"] = await metadata.IsUsableAsync(cancellationToken) ? "ok" : "migrations pending";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            data["metadata"] = ex.Message;
        }

        data["queryEngine"] = engine.IsUsable() ? "ok" : "not answering";
        try
        {
            await store.CheckAsync(cancellationToken);
            data["objectStore"] = $"ok ({store.Kind})";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            data["objectStore"] = ex.Message;
        }

        var healthy = data.Values.All(v => v is string s && s.StartsWith("ok", StringComparison.Ordinal));
        return healthy ? HealthCheckResult.Healthy("ready", data) : HealthCheckResult.Unhealthy("not ready", data: data);
    }
}
