using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class PathTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task RelativePath_ResolvesInsideTheRoot()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "shop", "data.db"), Shop.Schema);

        var check = await _fixture.Connector.CheckAsync(SqliteFixture.Options("shop/data.db"), _fixture.Context, CancellationToken.None);

        Assert.True(check.Success, check.Message);
        Assert.Contains("2 table(s), 1 view(s)", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbsolutePathInsideTheRoot_IsAccepted()
    {
        var path = Shop.Create(_fixture);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options(path), _fixture.Context, CancellationToken.None);

        Assert.Equal(3, streams.Count);
    }

    [Fact]
    public async Task DotDot_OutOfTheRoot_IsRefused()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), Shop.Schema);

        await AssertRefusedAsync("../outside/secret.db", "outside the import folders");
    }

    [Fact]
    public async Task AbsolutePathElsewhere_IsRefused()
    {
        var secret = SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), Shop.Schema);

        await AssertRefusedAsync(secret, "outside the import folders");
    }

    [Fact]
    public async Task SymlinkedFileLeadingOut_IsRefused()
    {
        var secret = SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), Shop.Schema);
        File.CreateSymbolicLink(Path.Combine(_fixture.Root, "innocent.db"), secret);

        await AssertRefusedAsync("innocent.db", "outside the import folders");
    }

    [Fact]
    public async Task SymlinkedFolderLeadingOut_IsRefused()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), Shop.Schema);
        Directory.CreateSymbolicLink(Path.Combine(_fixture.Root, "data"), _fixture.Outside);

        await AssertRefusedAsync("data/secret.db", "outside the import folders");
        await AssertRefusedAsync(Path.Combine(_fixture.Root, "data", "secret.db"), "outside the import folders");
    }

    [Fact]
    public async Task SymlinkStayingInside_IsFollowed()
    {
        var real = Shop.Create(_fixture, "real.db");
        File.CreateSymbolicLink(Path.Combine(_fixture.Root, "alias.db"), "real.db");

        var check = await _fixture.Connector.CheckAsync(SqliteFixture.Options("alias.db"), _fixture.Context, CancellationToken.None);

        Assert.True(check.Success, check.Message);
        Assert.True(File.Exists(real));
    }

    [Fact]
    public async Task MissingFile_SaysSo()
    {
        await AssertRefusedAsync("nope.db", "does not exist in the import folders");
    }

    [Fact]
    public async Task NoImportRoot_TellsTheAdminWhatToSet()
    {
        Shop.Create(_fixture);
        var context = new TestPluginContext("sqlite") { FileContext = new ImportRootsFileContext() };

        var check = await _fixture.Connector.CheckAsync(SqliteFixture.Options("shop.db"), context, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(SqliteFixture.Options("shop.db"), context, CancellationToken.None));

        Assert.False(check.Success);
        Assert.Contains("Plugins:ImportRoots", check.Message, StringComparison.Ordinal);
        Assert.Contains("Plugins:ImportRoots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotADatabase_FailsTheCheckClearly()
    {
        await File.WriteAllTextAsync(Path.Combine(_fixture.Root, "notes.db"), "these are not the tables you are looking for, padded to look like a file of some size.");

        var check = await _fixture.Connector.CheckAsync(SqliteFixture.Options("notes.db"), _fixture.Context, CancellationToken.None);

        Assert.False(check.Success);
        Assert.Contains("'notes.db' cannot be opened", check.Message, StringComparison.Ordinal);
        Assert.Contains("not a database", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_OfARefusedPath_FailsBeforeOpening()
    {
        var secret = SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), Shop.Schema);

        var error = await Assert.ThrowsAsync<PluginException>(async () =>
        {
            await foreach (var batch in _fixture.Connector.ReadAsync(SqliteFixture.Options(secret), new ReadRequest("orders", SyncMode.Full), _fixture.Context, CancellationToken.None))
            {
                batch.Dispose();
            }
        });

        Assert.Contains("outside the import folders", error.Message, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string path, string expected)
    {
        var options = SqliteFixture.Options(path);

        var check = await _fixture.Connector.CheckAsync(options, _fixture.Context, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.False(check.Success);
        Assert.Contains(expected, check.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
