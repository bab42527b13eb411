using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Testing;

namespace Ratatouille.Query.Tests;

/// <summary>The kernel (catalog, real DuckDB, local store) wired as the server wires it, without HTTP.</summary>
public sealed class KernelHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private KernelHarness(ServiceProvider services) => _services = services;

    public QueryEngine Engine => _services.GetRequiredService<QueryEngine>();

    public IngestService Ingest => _services.GetRequiredService<IngestService>();

    public CatalogService Catalog => _services.GetRequiredService<CatalogService>();

    public static async Task<KernelHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var root = RepositoryPaths.NewTempFolder("kernel");
        var provider = new ServiceCollection().AddLocalKernel(root, settings).BuildServiceProvider();
        await provider.InitializeLocalKernelAsync(TestTimeout.Token);
        return new KernelHarness(provider);
    }

    public Task<WriteResult> IngestTextAsync(string dataset, string fileName, string content, IngestOptions? options = null, WriteMode mode = WriteMode.Append) =>
        Ingest.IngestAsync(DatasetName.Parse(dataset), new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, options ?? new IngestOptions(), mode, false, 1 << 30, TestTimeout.Token);

    public async Task<JsonDocument> QueryJsonAsync(string sql, int? limit = null, IReadOnlyDictionary<string, long>? snapshots = null)
    {
        using var output = new MemoryStream();
        await Engine.RunAsync(new QueryRequest(sql) { Limit = limit, Snapshots = snapshots }, OutputFormat.Json, output, TestTimeout.Token);
        return JsonDocument.Parse(output.ToArray());
    }

    public async Task<string> QueryTextAsync(string sql, OutputFormat format)
    {
        using var output = new MemoryStream();
        await Engine.RunAsync(new QueryRequest(sql), format, output, TestTimeout.Token);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
