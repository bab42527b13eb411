using System.Diagnostics;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ErrorTests(PostgresFixture fixture)
{
    private readonly ConnectorHarness _harness = new(new PostgresConnector());

    [Fact]
    public async Task Check_RightCredentials_ReportsTheServerVersion()
    {
        var check = await _harness.CheckAsync(fixture.Options("shop"));

        Assert.True(check.Success, check.Message);
        Assert.StartsWith("Connected to PostgreSQL 1", check.Message, StringComparison.Ordinal);
        Assert.Contains("as reader on database 'app': 6 readable table(s) and view(s) in schema(s) shop", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compiled by", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WrongPassword_FailsWithAClearMessageThatDoesNotEchoThePassword()
    {
        var options = fixture.Options("shop");
        options.Password = "Wrong-Horse-Battery-7";

        var check = await _harness.CheckAsync(options);

        Assert.False(check.Success);
        Assert.Contains("Authentication failed for user 'reader': the password is wrong", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Horse-Battery-7", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresFixture.ReaderPassword, check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoPassword_FailsEvenWhenTheServerMachineHasPGPASSWORD()
    {
        var options = fixture.Options("shop");
        options.Password = null;
        Environment.SetEnvironmentVariable("PGPASSWORD", PostgresFixture.ReaderPassword);
        try
        {
            var check = await _harness.CheckAsync(options);

            Assert.False(check.Success, check.Message);
            Assert.EndsWith("The server asks user 'reader' for a password and none is configured.", check.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", null);
        }
    }

    [Fact]
    public async Task Check_NothingListening_FailsFastSayingTheHostIsUnreachable()
    {
        var options = fixture.Options("shop");
        options.Port = FreePort.Next();
        options.ConnectTimeoutSeconds = 5;
        var watch = Stopwatch.StartNew();

        var check = await _harness.CheckAsync(options);

        Assert.False(check.Success);
        Assert.Contains($"Cannot reach 127.0.0.1:{options.Port}", check.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Check_UnknownDatabaseOrSchema_SaysWhichOne()
    {
        var options = fixture.Options("shop");
        options.Database = "nowhere";
        var noDatabase = await _harness.CheckAsync(options);

        var noSchema = await _harness.CheckAsync(fixture.Options("shop", "sales"));

        Assert.False(noDatabase.Success);
        Assert.Contains("Database 'nowhere' does not exist", noDatabase.Message, StringComparison.Ordinal);
        Assert.False(noSchema.Success);
        Assert.Contains("schema(s) 'sales' do not exist", noSchema.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_WrongPassword_ThrowsPluginException()
    {
        var options = fixture.Options("shop");
        options.Password = "nope-nope";

        var error = await Assert.ThrowsAsync<PluginException>(() => _harness.DiscoverAsync(options));

        Assert.Contains("Authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownTable_ThrowsPluginException()
    {
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(fixture.Options("shop"), new ReadRequest("shop.invoices", SyncMode.Full)));

        Assert.Equal("Unknown stream 'shop.invoices': no table, view or materialized view of that name in schema(s) shop of database 'app', and no custom query of that name.", error.Message);
    }

    [Fact]
    public async Task Read_TableDroppedAfterDiscovery_ThrowsPluginException()
    {
        var schema = await fixture.NewSchemaAsync("err_dropped", "CREATE TABLE t (id int); INSERT INTO t VALUES (1);");
        var streams = await _harness.DiscoverAsync(fixture.Options(schema));
        Assert.Single(streams);
        await fixture.SqlAsync("DROP TABLE err_dropped.t");

        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(fixture.Options(schema), new ReadRequest("err_dropped.t", SyncMode.Full)));

        Assert.StartsWith("Unknown stream 'err_dropped.t'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAndDiscover_WithoutPrivileges_PermissionDeniedSaysWhatToGrant()
    {
        await fixture.NewSchemaAsync("err_private", "CREATE TABLE secrets (id int, secret text); INSERT INTO secrets VALUES (1, 'x');");
        await fixture.SqlAsync($"GRANT USAGE ON SCHEMA err_private TO {PostgresFixture.Outsider}");
        var options = fixture.Options("err_private");
        options.Username = PostgresFixture.Outsider;
        options.Password = PostgresFixture.OutsiderPassword;

        var check = await _harness.CheckAsync(options);
        var streams = await _harness.DiscoverAsync(options);
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(options, new ReadRequest("err_private.secrets", SyncMode.Full)));

        Assert.True(check.Success, check.Message);
        Assert.Contains("0 readable table(s) and view(s) in schema(s) err_private (1 more without SELECT privilege)", check.Message, StringComparison.Ordinal);
        Assert.Empty(streams);
        Assert.Equal(
            "Permission denied: user 'outsider' may not read err_private.secrets. Grant it USAGE on schema \"err_private\" and SELECT on \"err_private\".\"secrets\".",
            error.Message);
    }

    [Fact]
    public async Task Read_UnpopulatedMaterializedView_SaysToRefreshIt()
    {
        await fixture.NewSchemaAsync("err_matview", "CREATE MATERIALIZED VIEW later AS SELECT 1 AS one WITH NO DATA;");

        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(fixture.Options("err_matview"), new ReadRequest("err_matview.later", SyncMode.Full)));

        Assert.Contains("has not been populated", error.Message, StringComparison.Ordinal);
        Assert.Contains("refreshed", error.Message, StringComparison.Ordinal);
    }
}
