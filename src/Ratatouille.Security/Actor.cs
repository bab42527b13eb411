using System.Security.Claims;

namespace Ratatouille.Security;

/// <summary>Who does something and from where, for authorisation checks and the audit log.</summary>
public sealed record Actor(string Name, string Role, string? RemoteAddress)
{
    public static Actor System { get; } = new("system", Roles.Admin, null);

    public static Actor From(ClaimsPrincipal user, string? remoteAddress) =>
        new(user.Identity?.Name ?? "anonymous", user.FindFirstValue(ClaimTypes.Role) ?? string.Empty, remoteAddress);
}
