using Microsoft.OpenApi;
using Ratatouille.Server.Api;
using Ratatouille.Server.Hosting;
using Ratatouille.Web;
using Ratatouille.Web.Components;

var builder = WebApplication.CreateBuilder(args);
// RATATOUILLE__Section__Key environment variables override everything else (Section__Key works too).
builder.Configuration.AddEnvironmentVariables("RATATOUILLE__");
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:8000");
}

// Serves the UI libraries' assets (Fluent UI, Monaco) from a built — not only a published — server outside Development too.
builder.WebHost.UseStaticWebAssets();
builder.AddRatatouilleKernel();
builder.AddRatatouilleSecurity();
builder.Services.AddProblemDetails();
// Malformed bodies and parameters become exceptions, so they get a problem document with the reason.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddHealthChecks().AddCheck<KernelHealthCheck>("kernel");
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(options =>
{
    options.SwaggerDoc("v1", new OpenApiInfo
    {
        Title = "Ratatouille API",
        Version = "v1",
        Description = "Self-hosted data platform: catalog of bronze/silver/gold datasets as Parquet snapshots, sandboxed DuckDB SQL, file ingest, a data API, and plugins: connectors, connections and extracts into bronze.",
    });
    options.DocInclusionPredicate((_, api) => api.RelativePath is { } path && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("health/", StringComparison.Ordinal)));
    options.CustomSchemaIds(type => type.Name);
    options.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "An API key (rat_…) from POST /api/v1/api-keys, sent as 'Authorization: Bearer rat_…' (or 'X-Api-Key: rat_…'). Browsers may use the session cookie instead.",
    });
    options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
});
builder.Services.AddRatatouilleWeb();

var app = builder.Build();
await app.StartKernelAsync(app.Lifetime.ApplicationStopping);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRatatouilleHardening();
// The API description is public (it documents, it does not expose data): served before authorisation.
app.UseSwagger();
app.UseSwaggerUI(options => options.DocumentTitle = "Ratatouille API");
app.UseRatatouilleAuthorization();
app.UseAntiforgery();
app.MapStaticAssets().AllowAnonymous();

app.MapDatasetEndpoints();
app.MapQueryEndpoints();
app.MapMaintenanceEndpoints();
app.MapAccountEndpoints();
app.MapAdminEndpoints();
app.MapPluginEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
