using Ratatouille.Client.Contracts;
using Ratatouille.Plugins;
using Ratatouille.Sdk;
using Ratatouille.Security;
using Ratatouille.Server.Hosting;

namespace Ratatouille.Server.Api;

/// <summary>Plugins (admin), connector types, connections and extracts (editor).</summary>
public static class PluginEndpoints
{
    public static IEndpointRouteBuilder MapPluginEndpoints(this IEndpointRouteBuilder routes)
    {
        var plugins = routes.MapGroup("/api/v1/plugins").WithTags("Plugins").RequireAuthorization(Policies.Admin);
        plugins.MapGet("/", async (PluginHost host, CancellationToken cancellationToken) =>
            {
                await host.WaitReadyAsync(cancellationToken);
                return TypedResults.Ok(host.List().Select(ToDto).ToList());
            })
            .WithName("ListPlugins").WithSummary("List installed plugins")
            .WithDescription("Admin only. Every plugin version found (built-in and installed) with its kinds, status (active, disabled, incompatible, faulted, superseded) and the reason.");
        plugins.MapPost("/rescan", async (PluginHost host, HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
            {
                await host.RescanAsync(cancellationToken);
                await audit.WriteAsync(http.Actor(), "plugin.rescan", "plugins", cancellationToken: CancellationToken.None);
                return TypedResults.Ok(host.List().Select(ToDto).ToList());
            })
            .WithName("RescanPlugins").WithSummary("Pick up added or removed plugin folders")
            .WithDescription("Admin only. Loads plugin versions copied into <data>/plugins/<id>/<version>/ since the last scan and forgets removed ones, without a restart.");
        plugins.MapPost("/{id}/{version}/enable", async (string id, string version, PluginHost host, HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
            {
                var info = await host.EnableAsync(id, version, http.Actor().Name, cancellationToken);
                await audit.WriteAsync(http.Actor(), "plugin.enable", $"{id} {version}", success: info.Status is PluginStatus.Active or PluginStatus.Superseded,
                    detail: info.Reason, cancellationToken: CancellationToken.None);
                return TypedResults.Ok(ToDto(info));
            })
            .WithName("EnablePlugin").WithSummary("Enable a plugin version")
            .WithDescription("Admin only. Loads it (checks first: an incompatible or faulted plugin stays off and the reason is returned).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        plugins.MapPost("/{id}/{version}/disable", async (string id, string version, PluginHost host, HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
            {
                var info = await host.DisableAsync(id, version, http.Actor().Name, cancellationToken);
                await audit.WriteAsync(http.Actor(), "plugin.disable", $"{id} {version}", cancellationToken: CancellationToken.None);
                return TypedResults.Ok(ToDto(info));
            })
            .WithName("DisablePlugin").WithSummary("Disable a plugin version")
            .WithDescription("Admin only. Unloads it once running operations end; connections using it fail with a clear message until it is enabled again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        plugins.MapDelete("/{id}/{version}", async (string id, string version, PluginHost host, HttpContext http, AuditLog audit, CancellationToken cancellationToken) =>
            {
                await host.RemoveAsync(id, version, cancellationToken);
                await audit.WriteAsync(http.Actor(), "plugin.remove", $"{id} {version}", cancellationToken: CancellationToken.None);
                return TypedResults.NoContent();
            })
            .WithName("RemovePlugin").WithSummary("Remove an installed plugin version")
            .WithDescription("Admin only. Unloads and deletes it from <data>/plugins. Built-in plugins can only be disabled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        routes.MapGet("/api/v1/connectors", async (PluginHost host, CancellationToken cancellationToken) =>
            {
                await host.WaitReadyAsync(cancellationToken);
                return TypedResults.Ok(host.Components(PluginKind.Connector).Select(c => new ConnectorDto(
                    c.Id, c.DisplayName, c.Description, c.Category, c.Icon, c.PluginId, c.PluginVersion,
                    host.ComponentVersions(PluginKind.Connector, c.Id).Select(v => v.PluginVersion).ToList(), c.OptionsSchema)).ToList());
            })
            .WithTags("Connections").RequireAuthorization(Policies.Editor)
            .WithName("ListConnectors").WithSummary("List connector types")
            .WithDescription("Editor. Connectors of active plugins with the JSON schema of their options (secret options carry \"x-secret\": true and \"writeOnly\": true).");

        var connections = routes.MapGroup("/api/v1/connections").WithTags("Connections").RequireAuthorization(Policies.Editor);
        connections.MapGet("/", async (ConnectionService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.ListAsync(cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListConnections").WithSummary("List connections").WithDescription("Editor. Secret options are masked.");
        connections.MapPost("/", async (ConnectionRequestDto request, ConnectionService service, HttpContext http, CancellationToken cancellationToken) =>
            {
                var info = await service.CreateAsync(new ConnectionRequest(request.Name ?? "", request.Connector ?? "", request.Version, request.Config), http.Actor(), cancellationToken);
                return TypedResults.Created($"/api/v1/connections/{info.Name}", ToDto(info));
            })
            .WithName("CreateConnection").WithSummary("Create a connection")
            .WithDescription("Editor. The configuration is validated against the connector's options schema; secret options go to the encrypted secret store and are never returned.")
            .Produces<ConnectionDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        connections.MapGet("/{name}", async (string name, ConnectionService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToDto(await service.GetAsync(name, cancellationToken))))
            .WithName("GetConnection").WithSummary("Get a connection").WithDescription("Editor. Secret options are masked.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        connections.MapPut("/{name}", async (string name, ConnectionRequestDto request, ConnectionService service, HttpContext http, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToDto(await service.UpdateAsync(name, new ConnectionRequest(request.Name ?? name, request.Connector ?? "", request.Version, request.Config), http.Actor(), cancellationToken))))
            .WithName("UpdateConnection").WithSummary("Replace a connection's configuration")
            .WithDescription("Editor. Send secret options back as the mask (••••••••) to keep them, a new value to replace them, or leave them out to remove them.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        connections.MapDelete("/{name}", async (string name, ConnectionService service, HttpContext http, CancellationToken cancellationToken) =>
            {
                await service.DeleteAsync(name, http.Actor(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("DeleteConnection").WithSummary("Delete a connection").WithDescription("Editor. Its stored secrets, stream states and run history go too; datasets stay. Refused (409) while one of its extracts runs.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        connections.MapPost("/{name}/test", async (string name, ConnectionService service, CancellationToken cancellationToken) =>
            {
                var result = await service.TestAsync(name, cancellationToken);
                return TypedResults.Ok(new ConnectionTestDto(result.Success, result.Message, result.PluginVersion, Math.Round(result.ElapsedMs, 1)));
            })
            .WithName("TestConnection").WithSummary("Test a connection")
            .WithDescription("Editor. Runs the connector's check (reachability, credentials, permissions). A failed check is a 200 with success=false and the reason.")
            .Produces<ConnectionTestDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        connections.MapGet("/{name}/streams", async (string name, ConnectionService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.DiscoverAsync(name, cancellationToken)).Streams.Select(ToDto).ToList()))
            .WithName("ListStreams").WithSummary("Discover a connection's streams")
            .WithDescription("Editor. Tables, endpoints or file sets the source offers, with their columns, supported modes and cursor fields.")
            .Produces<List<StreamDto>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        connections.MapPost("/{name}/extract", async (string name, ExtractRequestDto request, bool? wait, ExtractService service, HttpContext http, CancellationToken cancellationToken) =>
            {
                var waiting = wait ?? true;
                var (started, completion) = await service.StartAsync(name, new ExtractRequest(request.Stream ?? "", request.Dataset ?? "", request.Mode, request.CursorField),
                    http.Actor(), waiting ? cancellationToken : CancellationToken.None, cancellationToken);
                if (!waiting)
                {
                    return (IResult)TypedResults.Accepted($"/api/v1/connections/{name}/runs/{started.Id}", ToDto(started));
                }

                return TypedResults.Ok(ToDto(await completion));
            })
            .WithName("Extract").WithSummary("Extract a stream into a bronze dataset")
            .WithDescription("Editor. mode=full replaces the dataset (and records the stream's position, so a later incremental run continues after it); mode=incremental appends what is new since the last committed run (the state moves only when the snapshot commits). "
                + "Waits and returns the finished run (status succeeded/failed/cancelled, rows, snapshot); with ?wait=false returns 202 with the run to poll.")
            .Produces<ExtractRunDto>().Produces<ExtractRunDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        connections.MapGet("/{name}/runs", async (string name, int? limit, ExtractService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.ListRunsAsync(name, limit ?? 50, cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListRuns").WithSummary("List a connection's extract runs").WithDescription("Editor. Newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        connections.MapGet("/{name}/runs/{id}", async (string name, string id, ExtractService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToDto(await service.GetRunAsync(name, id, cancellationToken))))
            .WithName("GetRun").WithSummary("Get an extract run").WithDescription("Editor. Rows count up while it runs.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        connections.MapGet("/{name}/runs/{id}/log", async (string name, string id, ExtractService service, CancellationToken cancellationToken) =>
            {
                var (entries, running) = await service.GetRunLogAsync(name, id, cancellationToken);
                return TypedResults.Ok(new RunLogDto(id, running,
                    entries.Select(e => new RunLogEntryDto(DateTime.SpecifyKind(e.Time, DateTimeKind.Utc), e.Level, e.Source, e.Message)).ToList()));
            })
            .WithName("GetRunLog").WithSummary("Get an extract run's log")
            .WithDescription("Editor. What the platform did (position, commit, failure) and what the connector logged at information level and above, oldest first; "
                + "the connection's secret values are masked. While the run goes on: the lines so far (running=true). At most 1,000 lines are kept per run.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        connections.MapPost("/{name}/runs/{id}/cancel", async (string name, string id, ExtractService service, CancellationToken cancellationToken) =>
            {
                var run = await service.GetRunAsync(name, id, cancellationToken);
                if (!await service.CancelAsync(run.Id))
                {
                    throw new PluginOperationException(PluginErrorKind.Conflict, $"Run '{id}' is not running (it is {run.Status}).");
                }

                return TypedResults.Accepted($"/api/v1/connections/{name}/runs/{id}");
            })
            .WithName("CancelRun").WithSummary("Cancel a running extract").WithDescription("Editor. Nothing of the run is committed.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    internal static PluginDto ToDto(PluginInfo p) => new(
        p.Id, p.Version, p.Kinds.Select(KindName).ToList(), p.Status.ToString().ToLowerInvariant(), p.Reason,
        p.Source == PluginSource.BuiltIn ? "builtin" : "installed", p.DisplayName, p.Description, p.Category, p.Icon, p.SdkRange,
        p.Components.Select(c => new PluginComponentDto(KindName(c.Kind), c.Id, c.DisplayName, c.Description)).ToList());

    internal static ConnectionDto ToDto(ConnectionDetails c) => new(
        c.Name, c.Connector, c.Version, c.ResolvedVersion, c.Config, c.SecretPaths,
        new DateTimeOffset(c.CreatedAt, TimeSpan.Zero), c.CreatedBy, new DateTimeOffset(c.UpdatedAt, TimeSpan.Zero), c.UpdatedBy);

    internal static StreamDto ToDto(StreamDescriptor s) => new(
        s.Name, s.Description,
        s.Schema.FieldsList.Select(f => new StreamColumnDto(f.Name, ArrowTypeNames.Describe(f), f.IsNullable)).ToList(),
        s.SupportedModes.Select(m => m == SyncMode.Full ? "full" : "incremental").ToList(),
        s.CursorFields, s.DefaultCursorField, s.PrimaryKey);

    internal static ExtractRunDto ToDto(ExtractRun r) => new(
        r.Id, r.Connection, r.Stream, r.Dataset, r.Mode, r.Status, r.PluginVersion, r.Rows, r.SnapshotId, r.Error,
        new DateTimeOffset(r.StartedAt, TimeSpan.Zero), r.FinishedAt is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : null, r.StartedBy);

    internal static string KindName(PluginKind kind) => kind.ToString().ToLowerInvariant();
}
