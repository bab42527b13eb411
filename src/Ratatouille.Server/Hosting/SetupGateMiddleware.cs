using Ratatouille.Security;

namespace Ratatouille.Server.Hosting;

/// <summary>
/// Until the first administrator exists, only health, setup and static assets answer: pages redirect
/// to <c>/setup</c>, API calls get 503 with the reason. Nothing else can be reached on a fresh install.
/// </summary>
public sealed class SetupGateMiddleware(RequestDelegate next, UserService users)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Allowed(context.Request.Path) || await users.AdminExistsAsync(context.RequestAborted))
        {
            await next(context);
            return;
        }

        if (ApiProblems.IsApi(context.Request))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Setup required",
                "No administrator exists yet: create one at /setup (or POST /api/v1/setup, or set RATATOUILLE_ADMIN_USER and RATATOUILLE_ADMIN_PASSWORD).");
            return;
        }

        context.Response.Redirect("/setup");
    }

    private static bool Allowed(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/setup", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/setup", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/account/setup", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        || (path.Value is { } value && Path.HasExtension(value) && !value.StartsWith("/api", StringComparison.OrdinalIgnoreCase));
}
