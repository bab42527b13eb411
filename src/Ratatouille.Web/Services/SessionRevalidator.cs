using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ratatouille.Security;

namespace Ratatouille.Web.Services;

/// <summary>
/// A circuit lives as long as the tab: without this, a user who is disabled, deleted or demoted
/// would keep their old powers on an open page. Every few minutes the circuit's user is checked
/// against the user store; a mismatch signs the circuit out (the page then sends them to login).
/// </summary>
public sealed class SessionRevalidator(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>The security stamp the server puts into the session cookie at sign-in.</summary>
    public const string StampClaim = Ratatouille.Security.SecurityClaims.Stamp;

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true || user.Identity.Name is not { } name)
        {
            return true;
        }

        // API-key principals never drive a circuit; a cookie session is a row in the user table.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var state = await users.GetSessionStateAsync(name, cancellationToken);
        // The stamp changes with every password, role or status change, as the cookie check on the server sees it.
        return state is { } s && s.Role == user.FindFirstValue(ClaimTypes.Role) && s.Stamp == user.FindFirstValue(StampClaim);
    }
}
