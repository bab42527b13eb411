using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;
using Ratatouille.Web.Services;

namespace Ratatouille.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>Registers the Blazor UI's services.</summary>
    public static IServiceCollection AddRatatouilleWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddCascadingAuthenticationState();
        // Replaces the default provider so open circuits notice disabled, deleted or demoted users.
        services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        services.AddScoped<UiUser>();
        services.AddSingleton<UiQueryRunner>();
        return services;
    }
}
