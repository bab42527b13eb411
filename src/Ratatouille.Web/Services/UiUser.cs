using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Ratatouille.Security;

namespace Ratatouille.Web.Services;

/// <summary>
/// The signed-in user of this circuit (or of this request while prerendering), as the kernel's
/// services want it: an <see cref="Actor"/> for authorisation checks and the audit log.
/// </summary>
public sealed class UiUser(AuthenticationStateProvider authentication)
{
    /// <summary>
    /// The browser's address, captured from the page request by <c>App</c>: inside a circuit there
    /// is no trustworthy HttpContext, and the audit log wants to say where an action came from.
    /// </summary>
    public string? RemoteAddress { get; set; }

    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<Actor> ActorAsync() => Actor.From(await PrincipalAsync(), RemoteAddress);

    /// <summary>The role on the principal; empty for anonymous users.</summary>
    public static string RoleOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Role) ?? string.Empty : string.Empty;

    public static bool CanEdit(ClaimsPrincipal user) => Roles.Rank(RoleOf(user)) >= Roles.Rank(Roles.Editor);

    public static bool IsAdmin(ClaimsPrincipal user) => Roles.Rank(RoleOf(user)) >= Roles.Rank(Roles.Admin);

    /// <summary>Throws unless the user holds at least <paramref name="role"/>: a second line behind hidden buttons.</summary>
    public async Task<Actor> RequireAsync(string role)
    {
        var actor = await ActorAsync();
        if (Roles.Rank(actor.Role) < Roles.Rank(role))
        {
            throw new SecurityException(SecurityError.Forbidden, $"You need the {role} role for this.");
        }

        return actor;
    }
}
