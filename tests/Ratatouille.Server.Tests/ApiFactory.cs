using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Ratatouille.Client;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

/// <summary>The real server in-process (WebApplicationFactory) over a fresh data directory, spoken to through the public typed client.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public const string AdminUser = ServerProcess.AdminUser;
    public const string AdminPassword = ServerProcess.AdminPassword;

    public ApiFactory(Dictionary<string, string?>? settings = null, bool createAdmin = true)
    {
        DataDirectory = RepositoryPaths.NewTempFolder("api");
        _settings = settings ?? [];
        // Tests sign in many clients from one address; the per-address limit has its own test.
        _settings.TryAdd("Security:LoginAttemptsPerMinute", "10000");
        if (createAdmin)
        {
            _settings.TryAdd("RATATOUILLE_ADMIN_USER", AdminUser);
            _settings.TryAdd("RATATOUILLE_ADMIN_PASSWORD", AdminPassword);
        }
    }

    public string DataDirectory { get; }

    /// <summary>The typed client, signed in as the administrator.</summary>
    public IRatatouilleApi Api => RestService.For<IRatatouilleApi>(CreateAdminClient());

    /// <summary>A client that signs in as <paramref name="user"/> before its first request and keeps the session cookie.</summary>
    public HttpClient CreateClientAs(string user, string password) =>
        CreateDefaultClient(new LoginHandler(user, password), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());

    /// <summary>A client signed in as the administrator.</summary>
    public HttpClient CreateAdminClient() => CreateClientAs(AdminUser, AdminPassword);

    /// <summary>A client authenticated by an API key header only (no cookies).</summary>
    public HttpClient CreateKeyClient(string key)
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("RATATOUILLE_DATA_DIR", DataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private sealed class LoginHandler(string user, string password) : DelegatingHandler
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private bool _signedIn;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!_signedIn)
            {
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    if (!_signedIn)
                    {
                        using var login = new HttpRequestMessage(HttpMethod.Post, new Uri(request.RequestUri!, "/api/v1/auth/login"))
                        {
                            Content = JsonContent.Create(new { username = user, password }),
                        };
                        using var response = await base.SendAsync(login, cancellationToken);
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new InvalidOperationException($"Sign-in as {user} failed: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                        }

                        _signedIn = true;
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            _gate.Dispose();
            base.Dispose(disposing);
        }
    }

    public static StreamPart Csv(string content, string fileName = "data.csv") =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, "text/csv");

    public static async Task<JsonElement> ProblemAsync(ApiException ex)
    {
        Assert.Equal("application/problem+json", ex.ContentHeaders?.ContentType?.MediaType);
        return JsonDocument.Parse(ex.Content!).RootElement;
    }
}
