using Microsoft.Extensions.DependencyInjection;

namespace Ratatouille.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>Registers the Blazor UI's services.</summary>
    public static IServiceCollection AddRatatouilleWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }
}
