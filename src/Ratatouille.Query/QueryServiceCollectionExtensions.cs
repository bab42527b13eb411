using Microsoft.Extensions.DependencyInjection;

namespace Ratatouille.Query;

public static class QueryServiceCollectionExtensions
{
    /// <summary>Registers the sandboxed query engine, the dataset writer and file ingest.</summary>
    public static IServiceCollection AddQueryEngine(this IServiceCollection services)
    {
        services.AddOptions<QueryOptions>().BindConfiguration(QueryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QueryEngine>();
        services.AddSingleton<DatasetWriter>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<RowsQueryBuilder>();
        return services;
    }
}
