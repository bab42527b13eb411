using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Ratatouille.Security;

namespace Ratatouille.Server.Hosting;

/// <summary>
/// Authenticates <c>Authorization: Bearer rat_…</c> or <c>X-Api-Key: rat_…</c>. The principal gets
/// the key's effective role (never above its owner's), capped to viewer for read-only keys; a key
/// limited to other scopes (e.g. <c>packages:push</c>) gets no role and passes no role policy.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";

    /// <summary>The key a request presents, if any.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0)
        {
            return header[0];
        }

        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, identity.Owner),
            new("api_key", identity.Id),
        };
        var role = identity.Scopes.Count == 0 ? identity.Role
            : identity.Scopes.Contains(Scopes.ReadOnly) ? Roles.Viewer
            : null;
        if (role is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        claims.AddRange(identity.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "Sign in, or send an API key as 'Authorization: Bearer rat_…' or 'X-Api-Key'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key's role or scopes do not allow this operation.");
}
