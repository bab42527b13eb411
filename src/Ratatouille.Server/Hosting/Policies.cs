using Microsoft.AspNetCore.Authorization;
using Ratatouille.Security;
using System.Security.Claims;

namespace Ratatouille.Server.Hosting;

/// <summary>Authorisation policies: one per role level. Endpoints name the lowest role they need.</summary>
public static class Policies
{
    public const string Viewer = "role:viewer";
    public const string Editor = "role:editor";
    public const string Admin = "role:admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Viewer, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRank(c.User, 0)));
        options.AddPolicy(Editor, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRank(c.User, 1)));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireAssertion(c => HasRank(c.User, 2)));
        // Anything not marked otherwise needs a signed-in user; anonymous access is an explicit allowlist.
        options.FallbackPolicy = options.DefaultPolicy;
    }

    private static bool HasRank(ClaimsPrincipal user, int rank) => Roles.Rank(user.FindFirstValue(ClaimTypes.Role)) >= rank;
}
