using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Ratatouille.Client.Contracts;
using Ratatouille.Security;
using Ratatouille.Server.Hosting;

namespace Ratatouille.Server.Api;

/// <summary>Sign-in, sign-out, first-run setup: JSON for API clients, HTML form posts for the UI.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Authentication");

        auth.MapPost("/login", async (LoginRequest request, HttpContext http, UserService users, CancellationToken cancellationToken) =>
            {
                var result = await users.LoginAsync(request.Username ?? string.Empty, request.Password ?? string.Empty, http.Actor(), cancellationToken);
                if (!result.Succeeded)
                {
                    return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: result.Failure);
                }

                await SecurityRegistration.SignInAsync(http, result.User!, result.SecurityStamp!);
                return TypedResults.Ok(new MeDto(result.User!.Username, result.User.Role, "cookie", []));
            })
            .AllowAnonymous()
            .RequireRateLimiting(SecurityRegistration.LoginRateLimit)
            .WithName("Login")
            .WithSummary("Sign in")
            .WithDescription("Checks the password and sets the session cookie (HttpOnly, SameSite=Lax). Repeated failures lock the account for a while; attempts are rate-limited per address and audited.")
            .Produces<MeDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        auth.MapPost("/logout", async (HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                await audit.WriteAsync(http.Actor(), "auth.logout", http.User.Identity?.Name ?? string.Empty, cancellationToken: CancellationToken.None);
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithName("Logout")
            .WithSummary("Sign out")
            .WithDescription("Ends the cookie session.");

        auth.MapGet("/me", (HttpContext http) => TypedResults.Ok(new MeDto(
                http.User.Identity?.Name ?? string.Empty,
                http.User.FindFirstValue(ClaimTypes.Role),
                http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName ? "apikey" : "cookie",
                http.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToList())))
            .RequireAuthorization()
            .WithName("Me")
            .WithSummary("Who am I")
            .WithDescription("The caller's user name, effective role, how they authenticated and the API key's scopes.");

        auth.MapPost("/password", async (ChangePasswordRequest request, HttpContext http, UserService users, CancellationToken cancellationToken) =>
            {
                if (http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
                {
                    throw new SecurityException(SecurityError.Forbidden, "Passwords are changed in a signed-in session, not with an API key.");
                }

                await users.ChangePasswordAsync(http.User.Identity!.Name!, request.CurrentPassword ?? string.Empty, request.NewPassword ?? string.Empty, http.Actor(), cancellationToken);
                await SignInAgainAsync(http, users, http.User.Identity.Name!, cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("ChangePassword")
            .WithSummary("Change my password")
            .WithDescription("Needs the current password. Other sessions of this user end.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        var setup = routes.MapGroup("/api/v1/setup").WithTags("Authentication").AllowAnonymous();
        setup.MapGet("/", async (UserService users, CancellationToken cancellationToken) =>
                TypedResults.Ok(new SetupStatusDto(!await users.AdminExistsAsync(cancellationToken))))
            .WithName("SetupStatus")
            .WithSummary("Is setup needed")
            .WithDescription("True until the first administrator exists.");
        setup.MapPost("/", async (LoginRequest request, HttpContext http, UserService users, CancellationToken cancellationToken) =>
            {
                var user = await users.SetupAsync(request.Username ?? string.Empty, request.Password ?? string.Empty, http.Actor(), cancellationToken);
                await SignInAgainAsync(http, users, user.Username, cancellationToken);
                return TypedResults.Ok(new MeDto(user.Username, user.Role, "cookie", []));
            })
            .RequireRateLimiting(SecurityRegistration.LoginRateLimit)
            .WithName("Setup")
            .WithSummary("Create the first administrator")
            .WithDescription("Only while no user exists (409 afterwards). Signs the new administrator in.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // HTML form posts for the UI's server-rendered sign-in and setup pages (antiforgery-validated).
        var forms = routes.MapGroup("/account").ExcludeFromDescription().AllowAnonymous();
        forms.MapPost("/login", async ([FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl, HttpContext http, UserService users, CancellationToken cancellationToken) =>
            {
                var result = await users.LoginAsync(username ?? string.Empty, password ?? string.Empty, http.Actor(), cancellationToken);
                if (!result.Succeeded)
                {
                    return Results.LocalRedirect($"/login?error={Uri.EscapeDataString(result.Failure ?? "Sign-in failed.")}&returnUrl={Uri.EscapeDataString(LocalOrRoot(returnUrl))}");
                }

                await SecurityRegistration.SignInAsync(http, result.User!, result.SecurityStamp!);
                return Results.LocalRedirect(LocalOrRoot(returnUrl));
            })
            .RequireRateLimiting(SecurityRegistration.LoginRateLimit);
        forms.MapPost("/logout", async (HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await audit.WriteAsync(http.Actor(), "auth.logout", http.User.Identity.Name ?? string.Empty, cancellationToken: CancellationToken.None);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });
        forms.MapPost("/setup", async ([FromForm] string? username, [FromForm] string? password, [FromForm] string? confirm, HttpContext http, UserService users, CancellationToken cancellationToken) =>
            {
                if (!string.Equals(password, confirm, StringComparison.Ordinal))
                {
                    return Results.LocalRedirect($"/setup?error={Uri.EscapeDataString("The two passwords differ.")}");
                }

                try
                {
                    var user = await users.SetupAsync(username ?? string.Empty, password ?? string.Empty, http.Actor(), cancellationToken);
                    await SignInAgainAsync(http, users, user.Username, cancellationToken);
                    return Results.LocalRedirect("/");
                }
                catch (SecurityException ex)
                {
                    return Results.LocalRedirect($"/setup?error={Uri.EscapeDataString(ex.Message)}");
                }
            })
            .RequireRateLimiting(SecurityRegistration.LoginRateLimit);

        return routes;
    }

    /// <summary>Issues a session for a user whose account just changed (created, new password), with its current stamp.</summary>
    private static async Task SignInAgainAsync(HttpContext http, UserService users, string username, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(username, cancellationToken);
        var state = await users.GetSessionStateAsync(username, cancellationToken)
            ?? throw new SecurityException(SecurityError.Forbidden, $"The account '{username}' cannot sign in.");
        await SecurityRegistration.SignInAsync(http, user, state.Stamp);
    }

    private static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
