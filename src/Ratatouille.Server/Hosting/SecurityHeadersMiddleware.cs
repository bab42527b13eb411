namespace Ratatouille.Server.Hosting;

/// <summary>
/// Hardening headers on every response. The content security policy allows only this origin's
/// scripts, styles (inline styles for Fluent UI), data: images and fonts, blob: workers (Monaco)
/// and same-origin connections (Blazor's WebSocket). Swagger UI gets the same minus the CSP,
/// because it ships an inline bootstrap script.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Content-Security-Policy"] = context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase)
            ? "frame-ancestors 'none'; object-src 'none'"
            : ContentSecurityPolicy;
        return next(context);
    }
}
