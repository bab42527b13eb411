using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Ratatouille.Security;
using Ratatouille.Storage;

namespace Ratatouille.Server.Hosting;

/// <summary>Authentication (cookie sessions and API keys), authorisation, login throttling and HTTP hardening.</summary>
public static class SecurityRegistration
{
    public const string PolicyScheme = "ratatouille";
    public const string LoginRateLimit = "login";
    public const string StampClaim = SecurityClaims.Stamp;

    public static WebApplicationBuilder AddRatatouilleSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = (DataDirectory)services.Single(s => s.ServiceType == typeof(DataDirectory)).ImplementationInstance!;
        services.AddRatatouilleSecurity(dataDirectory.MetadataDatabase, Path.Combine(dataDirectory.Root, "keys"));
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();

        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.PresentedKey(context.Request) is { Length: > 0 } ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "ratatouille.session";
                o.Cookie.HttpOnly = true;
                // Lax: the cookie is not sent on cross-site POSTs, which closes CSRF on the JSON and multipart API.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = security.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/forbidden";
                o.Events.OnRedirectToLogin = context => ApiProblems.IsApi(context.Request)
                    ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
                        "Sign in (POST /api/v1/auth/login), or send an API key as 'Authorization: Bearer rat_…' or 'X-Api-Key'.")
                    : Redirect(context);
                o.Events.OnRedirectToAccessDenied = context => ApiProblems.IsApi(context.Request)
                    ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                        $"Your role ({context.HttpContext.User.FindFirstValue(ClaimTypes.Role) ?? "none"}) does not allow this operation.")
                    : Redirect(context);
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddAuthorization(Policies.Add);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => new ValueTask(ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many attempts",
                "Too many sign-in attempts from this address; wait a minute and try again."));
            o.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        if (builder.Configuration.GetValue<bool>("Security:TrustForwardedHeaders"))
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                // Behind the documented reverse proxy only: anyone reaching the app directly could forge these.
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            });
        }

        return builder;
    }

    /// <summary>Forwarded headers, HTTPS and hardening headers: for every response, Swagger included.</summary>
    public static void UseRatatouilleHardening(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("Security:TrustForwardedHeaders"))
        {
            app.UseForwardedHeaders();
        }

        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
    }

    /// <summary>The setup gate, authentication, authorisation and rate limiting, in that order.</summary>
    public static void UseRatatouilleAuthorization(this WebApplication app)
    {
        app.UseMiddleware<SetupGateMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
    }

    /// <summary>Signs a user in with a cookie session carrying their role and security stamp.</summary>
    public static Task SignInAsync(HttpContext context, UserInfo user, string stamp)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role), new Claim(StampClaim, stamp)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A session ends at once when its user is disabled, deleted, changes password or role.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        var state = name is null ? null : await users.GetSessionStateAsync(name, context.HttpContext.RequestAborted);
        if (state is null || state.Value.Stamp != context.Principal!.FindFirstValue(StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
