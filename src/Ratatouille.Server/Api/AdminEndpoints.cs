using Ratatouille.Client.Contracts;
using Ratatouille.Security;
using Ratatouille.Server.Hosting;

namespace Ratatouille.Server.Api;

/// <summary>Users, API keys, secrets and the audit log.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", async (UserService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.ListAsync(cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListUsers").WithSummary("List users").WithDescription("Admin only.");
        users.MapPost("/", async (CreateUserRequest request, HttpContext http, UserService service, CancellationToken cancellationToken) =>
            {
                var user = await service.CreateAsync(request.Username ?? string.Empty, request.Password ?? string.Empty, request.Role ?? string.Empty, http.Actor(), cancellationToken);
                return TypedResults.Created($"/api/v1/users/{user.Username}", ToDto(user));
            })
            .WithName("CreateUser").WithSummary("Create a user").WithDescription("Admin only. Role: viewer, editor or admin.")
            .Produces<UserDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPut("/{username}", async (string username, UpdateUserRequest request, HttpContext http, UserService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToDto(await service.UpdateAsync(username, request.Role, request.Disabled, request.Password, http.Actor(), cancellationToken))))
            .WithName("UpdateUser").WithSummary("Change a user").WithDescription("Admin only: role, disable/enable, reset password. The last enabled admin cannot be demoted or disabled.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("/{username}", async (string username, HttpContext http, UserService service, CancellationToken cancellationToken) =>
            {
                await service.DeleteAsync(username, http.Actor(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("DeleteUser").WithSummary("Delete a user").WithDescription("Admin only. Their API keys are revoked.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var keys = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.Viewer);
        keys.MapGet("/", async (HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
                TypedResults.Ok((await service.ListAsync(http.Actor().Role == Roles.Admin ? null : http.Actor().Name, cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListApiKeys").WithSummary("List API keys").WithDescription("Your keys; admins see every key. Keys themselves are never returned.");
        keys.MapPost("/", async (CreateApiKeyRequest request, HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
            {
                if (http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
                {
                    // A leaked key must not be able to mint longer-lived keys for itself.
                    throw new SecurityException(SecurityError.Forbidden, "API keys are created in a signed-in session, not with another API key.");
                }

                var (info, key) = await service.CreateAsync(request.Name ?? string.Empty, request.Role, request.ExpiresAt?.UtcDateTime, request.Scopes, http.Actor(), cancellationToken);
                return TypedResults.Created($"/api/v1/api-keys/{info.Id}", new CreatedApiKeyDto(info.Id, key, info.Name, info.Prefix, info.Role, info.Scopes, Offset(info.ExpiresAt)));
            })
            .WithName("CreateApiKey").WithSummary("Create an API key")
            .WithDescription("Returns the key (rat_…) once; only its hash is stored. The role defaults to, and may not exceed, yours. Scopes: read-only, packages:push.")
            .Produces<CreatedApiKeyDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapDelete("/{id}", async (string id, HttpContext http, ApiKeyService service, CancellationToken cancellationToken) =>
            {
                await service.RevokeAsync(id, http.Actor(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("RevokeApiKey").WithSummary("Revoke an API key").WithDescription("Your own keys; admins any key. Takes effect on the next request.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var secrets = routes.MapGroup("/api/v1/secrets").WithTags("Secrets").RequireAuthorization(Policies.Admin);
        secrets.MapGet("/", async (SecretStore store, CancellationToken cancellationToken) =>
                TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(ToDto).ToList()))
            .WithName("ListSecrets").WithSummary("List secrets").WithDescription("Admin only. Names and metadata; values are masked, never returned.");
        secrets.MapPut("/{name}", async (string name, SetSecretRequest request, HttpContext http, SecretStore store, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToDto(await store.SetAsync(name, request.Value ?? string.Empty, http.Actor(), cancellationToken))))
            .WithName("SetSecret").WithSummary("Create or replace a secret").WithDescription("Admin only. Encrypted at rest with ASP.NET Core Data Protection; write-only.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        secrets.MapDelete("/{name}", async (string name, HttpContext http, SecretStore store, CancellationToken cancellationToken) =>
            {
                await store.DeleteAsync(name, http.Actor(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("DeleteSecret").WithSummary("Delete a secret").WithDescription("Admin only.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        routes.MapGet("/api/v1/audit", async (DateTimeOffset? from, DateTimeOffset? to, string? user, string? action, int? limit, AuditLog audit, CancellationToken cancellationToken) =>
                TypedResults.Ok((await audit.QueryAsync(from?.UtcDateTime, to?.UtcDateTime, user, action, limit ?? 500, cancellationToken))
                    .Select(a => new AuditEntryDto(a.Id, Offset(a.At), a.Actor, a.Action, a.Target, a.Success, a.Detail, a.RemoteAddress)).ToList()))
            .RequireAuthorization(Policies.Admin)
            .WithTags("Audit").WithName("GetAudit").WithSummary("Read the audit log")
            .WithDescription("Admin only. Newest first; filters: from, to (ISO 8601), user, action (prefix, e.g. auth. or dataset.), limit (default 500). The log cannot be edited.");

        return routes;
    }

    private static UserDto ToDto(UserInfo u) => new(u.Username, u.Role, u.Disabled, Offset(u.CreatedAt), u.LastLoginAt is { } l ? Offset(l) : null, u.LockedOut);

    private static ApiKeyDto ToDto(ApiKeyInfo k) =>
        new(k.Id, k.Name, k.Prefix, k.Role, k.Scopes, k.CreatedBy, Offset(k.CreatedAt), Offset(k.ExpiresAt), Offset(k.RevokedAt), Offset(k.LastUsedAt));

    private static SecretDto ToDto(SecretInfo s) => new(s.Name, s.Mask, Offset(s.CreatedAt), Offset(s.UpdatedAt), s.UpdatedBy);

    private static DateTimeOffset Offset(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Offset(DateTime? value) => value is { } v ? Offset(v) : null;
}
