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

    public ApiFactory(Dictionary<string, string?>? settings = null)
    {
        DataDirectory = RepositoryPaths.NewTempFolder("api");
        _settings = settings ?? [];
    }

    public string DataDirectory { get; }

    public IRatatouilleApi Api => RestService.For<IRatatouilleApi>(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("RATATOUILLE_DATA_DIR", DataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
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
