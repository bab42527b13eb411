using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ratatouille.Client.Contracts;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

public sealed class SecurityTests : IClassFixture<SecurityTests.Fixture>
{
    private readonly ApiFactory _factory;

    public SecurityTests(Fixture fixture) => _factory = fixture.Factory;

    [Fact]
    public async Task FreshInstall_OnlyHealthAndSetupAnswer_UntilTheFirstAdminExists()
    {
        await using var fresh = new ApiFactory(createAdmin: false);
        using var anonymous = fresh.CreateClient();

        var datasets = await anonymous.GetAsync("/api/v1/datasets", TestTimeout.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, datasets.StatusCode);
        Assert.Contains("/setup", await datasets.Content.ReadAsStringAsync(TestTimeout.Token), StringComparison.Ordinal);
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = "x", password = "y" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready", TestTimeout.Token)).StatusCode);
        Assert.True((await anonymous.GetFromJsonAsync<SetupStatusDto>("/api/v1/setup", TestTimeout.Token))!.SetupRequired);
        var page = await anonymous.GetAsync("/catalog", TestTimeout.Token);
        Assert.Equal("/setup", page.RequestMessage!.RequestUri!.AbsolutePath);

        var tooShort = await anonymous.PostAsJsonAsync("/api/v1/setup", new { username = "root", password = "short" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        using var session = fresh.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());
        var setup = await session.PostAsJsonAsync("/api/v1/setup", new { username = "root", password = "a-long-password" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Equal("admin", (await session.GetFromJsonAsync<MeDto>("/api/v1/auth/me", TestTimeout.Token))!.Role);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);

        var again = await anonymous.PostAsJsonAsync("/api/v1/setup", new { username = "evil", password = "a-long-password" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task Login_RepeatedFailures_LockTheAccount_AndAreAudited()
    {
        await _factory.Api.CreateUserAsync(new CreateUserRequest("lockme", "the-right-password", "viewer"), TestTimeout.Token);
        using var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "lockme", password = "wrong-password" }, TestTimeout.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var right = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "lockme", password = "the-right-password" }, TestTimeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(TestTimeout.Token), StringComparison.Ordinal);
        var audit = await _factory.Api.GetAuditAsync(user: "lockme", action: "auth.login", cancellationToken: TestTimeout.Token);
        Assert.Equal(6, audit.Count(a => !a.Success));
        Assert.All(audit, a => Assert.False(string.IsNullOrEmpty(a.Target)));
        Assert.True((await _factory.Api.ListUsersAsync(TestTimeout.Token)).Single(u => u.Username == "lockme").LockedOut);

        await _factory.Api.UpdateUserAsync("lockme", new UpdateUserRequest { Password = "a-new-long-password" }, TestTimeout.Token);
        var afterReset = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "lockme", password = "a-new-long-password" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }

    [Fact]
    public async Task ApiKey_WorksAsBearerAndHeader_UntilRevokedOrExpired()
    {
        var created = await _factory.Api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ci" }, TestTimeout.Token);
        Assert.StartsWith("rat_", created.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(await _factory.Api.ListApiKeysAsync(TestTimeout.Token), k => JsonSerializer.Serialize(k).Contains(created.Key, StringComparison.Ordinal));

        using var bearer = _factory.CreateKeyClient(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        using var header = _factory.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);

        await _factory.Api.RevokeApiKeyAsync(created.Id, TestTimeout.Token);
        var revoked = await bearer.GetAsync("/api/v1/datasets", TestTimeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", await revoked.Content.ReadAsStringAsync(TestTimeout.Token), StringComparison.Ordinal);

        var shortLived = await _factory.Api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "short", ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(2) }, TestTimeout.Token);
        using var expiring = _factory.CreateKeyClient(shortLived.Key);
        Assert.Equal(HttpStatusCode.OK, (await expiring.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestTimeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expiring.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);

        var past = await Assert.ThrowsAnyAsync<ApiException>(() => _factory.Api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "old", ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1) }, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
    }

    [Fact]
    public async Task ApiKey_NeverCarriesMoreThanItsCreatorsRole()
    {
        await _factory.Api.CreateUserAsync(new CreateUserRequest("keyeditor", "a-long-password-2", "editor"), TestTimeout.Token);
        var editor = RestService.For<Client.IRatatouilleApi>(_factory.CreateClientAs("keyeditor", "a-long-password-2"));

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => editor.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "escalate", Role = "admin" }, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);

        var key = await editor.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "mine" }, TestTimeout.Token);
        Assert.Equal("editor", key.Role);
        await _factory.Api.UpdateUserAsync("keyeditor", new UpdateUserRequest { Role = "viewer" }, TestTimeout.Token);
        using var demoted = _factory.CreateKeyClient(key.Key);
        Assert.Equal("viewer", (await demoted.GetFromJsonAsync<MeDto>("/api/v1/auth/me", TestTimeout.Token))!.Role);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.DeleteAsync("/api/v1/datasets/bronze/x", TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task Secrets_AreWriteOnly_Masked_AndNotInTheDatabaseInPlaintext()
    {
        const string Value = "pg-password-Zq81-unmistakable";
        var set = await _factory.Api.SetSecretAsync("warehouse-db", new SetSecretRequest(Value), TestTimeout.Token);

        Assert.NotEqual(Value, set.Value);
        var listed = JsonSerializer.Serialize(await _factory.Api.ListSecretsAsync(TestTimeout.Token));
        Assert.Contains("warehouse-db", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(await _factory.Api.GetAuditAsync(action: "secret.", cancellationToken: TestTimeout.Token), a => (a.Detail ?? string.Empty).Contains(Value, StringComparison.Ordinal));

        // A copy of the metadata database (with its WAL) holds no plaintext secret.
        var copy = Path.Combine(RepositoryPaths.NewTempFolder("dbcopy"), "copy.db");
        await using (var source = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "ratatouille.db")}"))
        {
            await source.OpenAsync(TestTimeout.Token);
            await using var command = source.CreateCommand();
            command.CommandText = $"VACUUM INTO '{copy}'";
            await command.ExecuteNonQueryAsync(TestTimeout.Token);
        }

        foreach (var file in Directory.GetFiles(_factory.DataDirectory, "ratatouille.db*").Append(copy))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestTimeout.Token);
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(Value, StringComparison.Ordinal), $"{file} contains the secret in plaintext");
        }

        await using var db = new SqliteConnection($"Data Source={copy}");
        await db.OpenAsync(TestTimeout.Token);
        await using var read = db.CreateCommand();
        read.CommandText = "SELECT Protected FROM secrets WHERE Name = 'warehouse-db'";
        var stored = (string)(await read.ExecuteScalarAsync(TestTimeout.Token))!;
        Assert.DoesNotContain(Value, stored, StringComparison.Ordinal);
        Assert.True(stored.Length > Value.Length);
    }

    [Fact]
    public async Task AuditLog_RecordsDataChanges_AndCannotBeEdited()
    {
        await _factory.Api.UploadAsync("bronze", "audited", ApiFactory.Csv("a\n1\n"), cancellationToken: TestTimeout.Token);
        await _factory.Api.DeleteDatasetAsync("bronze", "audited", TestTimeout.Token);

        var entries = await _factory.Api.GetAuditAsync(action: "dataset.", cancellationToken: TestTimeout.Token);
        var upload = Assert.Single(entries, e => e.Action == "dataset.upload" && e.Target == "bronze.audited");
        Assert.Equal(ApiFactory.AdminUser, upload.Actor);
        Assert.Contains(entries, e => e.Action == "dataset.delete" && e.Target == "bronze.audited");

        await using var db = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "ratatouille.db")}");
        await db.OpenAsync(TestTimeout.Token);
        await using var tamper = db.CreateCommand();
        tamper.CommandText = "DELETE FROM audit_log";
        var ex = await Assert.ThrowsAsync<SqliteException>(() => tamper.ExecuteNonQueryAsync(TestTimeout.Token));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirSessionAndKeys()
    {
        await _factory.Api.CreateUserAsync(new CreateUserRequest("leaver", "a-long-password-3", "editor"), TestTimeout.Token);
        using var session = _factory.CreateClientAs("leaver", "a-long-password-3");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        var key = await RestService.For<Client.IRatatouilleApi>(session).CreateApiKeyAsync(new CreateApiKeyRequest { Name = "leaver-key" }, TestTimeout.Token);

        await _factory.Api.UpdateUserAsync("leaver", new UpdateUserRequest { Disabled = true }, TestTimeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        using var keyClient = _factory.CreateKeyClient(key.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await keyClient.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task LastAdmin_CannotBeDemotedOrDeleted()
    {
        var demote = await Assert.ThrowsAnyAsync<ApiException>(() => _factory.Api.UpdateUserAsync(ApiFactory.AdminUser, new UpdateUserRequest { Role = "viewer" }, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        var delete = await Assert.ThrowsAnyAsync<ApiException>(() => _factory.Api.DeleteUserAsync(ApiFactory.AdminUser, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne()
    {
        await _factory.Api.CreateUserAsync(new CreateUserRequest("changer", "a-long-password-4", "viewer"), TestTimeout.Token);
        var me = RestService.For<Client.IRatatouilleApi>(_factory.CreateClientAs("changer", "a-long-password-4"));

        var wrong = await Assert.ThrowsAnyAsync<ApiException>(() => me.ChangePasswordAsync(new ChangePasswordRequest("not-it-at-all", "another-long-password"), TestTimeout.Token));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        await me.ChangePasswordAsync(new ChangePasswordRequest("a-long-password-4", "another-long-password"), TestTimeout.Token);

        using var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "changer", password = "a-long-password-4" }, TestTimeout.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "changer", password = "another-long-password" }, TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_AndNoCorsGrant()
    {
        using var client = _factory.CreateAdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/datasets");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(request, TestTimeout.Token);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task SwaggerDocument_IsPublic_AndApiKeysCannotMintKeys()
    {
        using var anonymous = _factory.CreateClient();
        var doc = await anonymous.GetAsync("/swagger/v1/swagger.json", TestTimeout.Token);
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        Assert.Contains("\"ApiKey\"", await doc.Content.ReadAsStringAsync(TestTimeout.Token), StringComparison.Ordinal);

        var key = await _factory.Api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "no-minting" }, TestTimeout.Token);
        using var keyClient = _factory.CreateKeyClient(key.Key);
        var minted = await keyClient.PostAsJsonAsync("/api/v1/api-keys", new { name = "child" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.Forbidden, minted.StatusCode);
    }

    [Fact]
    public async Task FormSignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = _factory.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = ApiFactory.AdminUser, ["password"] = ApiFactory.AdminPassword });

        using var response = await client.PostAsync("/account/login", form, TestTimeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("ratatouille.session", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_IsRateLimitedPerAddress()
    {
        await using var strict = new ApiFactory(new() { ["Security:LoginAttemptsPerMinute"] = "3" });
        using var client = strict.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "whatever-password" }, TestTimeout.Token)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    public sealed class Fixture : IDisposable
    {
        public ApiFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
