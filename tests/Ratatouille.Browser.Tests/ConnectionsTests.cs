using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ratatouille.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ratatouille.Browser.Tests;

/// <summary>Plugins, connections and extracts as users see them: the generated options form, test, discovery, extract into bronze.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ConnectionsTests(ConnectionsFixture fixture, ITestOutputHelper output) : IClassFixture<ConnectionsFixture>
{
    [Fact]
    public async Task Admin_SeesFilesPlugin_CreatesFilesConnectionFromSchemaForm_TestsDiscoversExtracts_AndOpensTheDataset()
    {
        await using var ui = await UiSession.StartAsync(fixture.Browser, fixture.Server.BaseAddress, output, ServerProcess.AdminUser, ServerProcess.AdminPassword);
        var page = ui.Page;
        // FluentNav renders its items twice (page and mobile drawer): count the visible one.
        await Expect(page.Locator("#nav-admin-plugins:visible")).ToHaveCountAsync(1);
        await Expect(page.Locator("#nav-connections:visible")).ToHaveCountAsync(1);

        // Plugins: the built-in Files plugin is listed as active, its status and source in words.
        await ui.GoToAsync("/admin/plugins");
        var files = page.Locator("#plugins-table tr[data-plugin='files']");
        await Expect(files).ToHaveCountAsync(1);
        await Expect(files.Locator("fluent-badge, .fluent-badge").First).ToHaveTextAsync("active");
        await Expect(files).ToContainTextAsync("built-in");
        await Expect(files).ToContainTextAsync("connector");
        await Expect(files.Locator("[id^='btn-remove-']")).ToHaveCountAsync(0);
        await page.Locator("#btn-rescan-plugins").ClickAsync();
        await Expect(page.Locator("#plugins-info")).ToContainTextAsync("Rescanned");

        // A new connection: pick the connector, the form is generated from its options schema.
        await ui.GoToAsync("/connections");
        // (The class's tests share one server: other tests' connections may be listed.)
        await Expect(page.Locator("#connections-table")).ToBeVisibleAsync();
        await page.Locator("#btn-new-connection").ClickAsync();
        await Expect(page).ToHaveURLAsync(ui.Url("/connections/new"));
        await page.Locator("#connector-card-files").ClickAsync();
        await Expect(page.Locator("#connection-form-title")).ToHaveTextAsync("New Files connection");
        // Enum, nullable boolean, boolean and text options each get their editor, titled from the schema, defaults filled in.
        await Expect(page.Locator("#opt-location")).ToBeVisibleAsync();
        await Expect(page.Locator("#opt-format")).ToBeVisibleAsync();
        await Expect(page.Locator("#opt-header")).ToBeVisibleAsync();
        await Expect(page.Locator("#opt-includeFileName")).ToBeVisibleAsync();
        await Expect(page.Locator("#connection-options")).ToContainTextAsync("Every matching file is read into one stream");
        await Expect(page.Locator("#opt-path-help")).ToContainTextAsync("at most 1024 characters");

        // Saving without the required path lists the kernel's validation errors next to the form.
        await page.Locator("#connection-name input").FillAsync("people-files");
        await page.Locator("#btn-save-connection").ClickAsync();
        await Expect(page.Locator("#connection-errors")).ToContainTextAsync("Files:");
        await Expect(page).ToHaveURLAsync(ui.Url("/connections/new"));

        await page.Locator("#opt-path input").FillAsync(ConnectionsFixture.CsvFile);
        await page.Locator("#btn-save-connection").ClickAsync();
        await Expect(page.Locator("#connection-info")).ToContainTextAsync("people-files was created");
        await Expect(page).ToHaveURLAsync(ui.Url("/connections/people-files/edit"));
        await Expect(page.Locator("#connection-errors")).ToHaveCountAsync(0);

        // Test it from the form page.
        await page.Locator("#btn-test-connection").ClickAsync();
        await Expect(page.Locator("#connection-test-result")).ToContainTextAsync("Connection works");

        // The list shows it; its detail page discovers the stream with its columns.
        await ui.GoToAsync("/connections");
        await Expect(page.Locator("[data-testid='connection-people-files']")).ToContainTextAsync("files");
        await Expect(page.Locator("[data-testid='connection-people-files']")).ToContainTextAsync("newest");
        await page.Locator("#link-connection-people-files").ClickAsync();
        await Expect(page).ToHaveURLAsync(ui.Url("/connections/people-files"));
        await Expect(page.Locator("#config-table")).ToContainTextAsync(ConnectionsFixture.CsvFile);
        await page.Locator("#btn-test").ClickAsync();
        await Expect(page.Locator("#test-result")).ToContainTextAsync("Connection works");
        await Expect(page.Locator("#test-elapsed")).ToContainTextAsync(MillisecondsPattern());

        await page.Locator("#btn-discover").ClickAsync();
        var stream = page.Locator("[data-testid='stream-people']");
        await Expect(stream).ToContainTextAsync("3 columns");
        await Expect(stream).ToContainTextAsync("full");
        await page.Locator("#btn-columns-0").ClickAsync();
        var columns = page.Locator("[data-testid='stream-columns-people']");
        await Expect(columns).ToContainTextAsync("name");
        await Expect(columns).ToContainTextAsync("VARCHAR");

        // Extract it into bronze: the dataset name is suggested from the stream, progress is followed to the end.
        await page.Locator("#btn-extract-0").ClickAsync();
        await Expect(page.Locator("#extract-dataset input")).ToHaveValueAsync("bronze.people");
        await page.Locator("#btn-start-extract").ClickAsync();
        await Expect(page.Locator("#extract-result")).ToContainTextAsync("3 rows into bronze.people");
        await Expect(page.Locator("#extract-status")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("#runs-table tr[data-testid='run-row']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#runs-table tr[data-testid='run-row']").First).ToHaveAttributeAsync("data-status", "succeeded");

        // The run's log says what happened.
        await page.Locator("#runs-table tr[data-testid='run-row'] [id^='btn-log-']").First.ClickAsync();
        await Expect(page.Locator("#run-log")).ToContainTextAsync("Committed 3 rows to bronze.people as snapshot");
        await Expect(page.Locator("#run-log")).ToContainTextAsync("started extracting");
        await Expect(page.Locator("#extract-log")).ToContainTextAsync("Committed 3 rows");
        await page.Locator("#btn-log-close").ClickAsync();
        await Expect(page.Locator("#run-log")).ToHaveCountAsync(0);

        // The link leads to the dataset in the catalog, with the file's rows.
        await page.Locator("#extract-dataset-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(ui.Url("/catalog/bronze/people"));
        await Expect(page.Locator("#dataset-title")).ToHaveTextAsync("bronze.people");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–3 of 3");
        await Expect(page.Locator("#preview-table")).ToContainTextAsync("Grace");
        await Expect(page.Locator("#preview-table")).ToContainTextAsync("Linus");

        // Disabling the plugin asks first, says why it is off, and the connection shows it cannot run; enabling brings it back.
        await ui.GoToAsync("/admin/plugins");
        await files.Locator("[id^='btn-disable-']").ClickAsync();
        await Expect(page.Locator("fluent-dialog")).ToContainTextAsync("Connections using it will fail until it is enabled again");
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Disable" }).ClickAsync();
        await Expect(files).ToHaveAttributeAsync("data-status", "disabled");
        await Expect(files.Locator("[data-testid='plugin-reason']")).ToHaveTextAsync($"Disabled by {ServerProcess.AdminUser}.");
        await ui.GoToAsync("/connections");
        await Expect(page.Locator("[data-testid='connection-people-files']")).ToContainTextAsync("unavailable");
        await ui.GoToAsync("/admin/plugins");
        await files.Locator("[id^='btn-enable-']").ClickAsync();
        await Expect(files).ToHaveAttributeAsync("data-status", "active");
        await Expect(files.Locator("[data-testid='plugin-reason']")).ToHaveCountAsync(0);

        // The plugin actions are in the audit log under the API's action names.
        await ui.GoToAsync("/admin/audit");
        await page.Locator("#audit-action input").FillAsync("plugin.");
        await page.Locator("#btn-audit-apply").ClickAsync();
        await Expect(page.Locator("#audit-table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#audit-table tbody tr").Nth(0)).ToContainTextAsync("plugin.enable");
        await Expect(page.Locator("#audit-table tbody tr").Nth(1)).ToContainTextAsync("plugin.disable");
        await Expect(page.Locator("#audit-table tbody tr").Nth(2)).ToContainTextAsync("plugin.rescan");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Viewer_HasNoConnectionsEntry_AndCannotOpenConnectionsOrPlugins()
    {
        using var admin = await fixture.Server.CreateClientAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = "vic", password = "viewer-password-1", role = "viewer" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await using var ui = await UiSession.StartAsync(fixture.Browser, fixture.Server.BaseAddress, output, "vic", "viewer-password-1");
        var page = ui.Page;
        await Expect(page.Locator("#header-role")).ToHaveTextAsync("viewer");
        // The navigation is there (catalog), without the editor's and the admin's entries.
        await Expect(page.Locator("#nav-catalog:visible")).ToHaveCountAsync(1);
        await Expect(page.Locator("#nav-connections")).ToHaveCountAsync(0);
        await Expect(page.Locator("#nav-admin-plugins")).ToHaveCountAsync(0);

        // Typed in the address bar, and reached inside the app: the not-allowed message, no connection data.
        await page.GotoAsync(ui.Url("/connections"));
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the editor role");
        await Expect(page.Locator("#connections-table")).ToHaveCountAsync(0);
        await ui.GoToAsync("/");
        await page.EvaluateAsync("() => Blazor.navigateTo('/connections/new')");
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the editor role");
        await Expect(page.Locator("#connector-list")).ToHaveCountAsync(0);

        await page.GotoAsync(ui.Url("/admin/plugins"));
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the admin role");
        await Expect(page.Locator("#plugins-table")).ToHaveCountAsync(0);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Editor_GeneratedForm_SavesGroupsListsDictionariesAndNumbers_AndKeepsOrRemovesStoredSecrets()
    {
        using var admin = await fixture.Server.CreateClientAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = "edna", password = "editor-password-1", role = "editor" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await using var ui = await UiSession.StartAsync(fixture.Browser, fixture.Server.BaseAddress, output, "edna", "editor-password-1");
        var page = ui.Page;
        await Expect(page.Locator("#nav-connections:visible")).ToHaveCountAsync(1);
        await Expect(page.Locator("#nav-admin-plugins")).ToHaveCountAsync(0);

        // The HTTP connector's schema has every shape: a list of groups (streams), a dictionary (headers),
        // a nested group with secrets (auth), lists of strings, numbers with ranges.
        await ui.GoToAsync("/connections/new?connector=http");
        await Expect(page.Locator("#connection-form-title")).ToHaveTextAsync("New HTTP / REST API connection");
        await page.Locator("#connection-name input").FillAsync("api");
        await page.Locator("#opt-baseUrl input").FillAsync("https://api.example.test/v1");
        await page.Locator("#opt-streams-add").ClickAsync();
        await page.Locator("#opt-streams-0-name input").FillAsync("issues");
        await Expect(page.Locator("#opt-streams-0-pagination")).ToContainTextAsync("Page size");
        await page.Locator("#opt-streams-0-primaryKey textarea").FillAsync("id\nnumber\n");
        await page.Locator("#opt-headers-add").ClickAsync();
        await page.Locator("#opt-headers-0-key input").FillAsync("Accept");
        await page.Locator("#opt-headers-0-value input").FillAsync("application/json");
        await page.Locator("#opt-auth-token input").FillAsync("tok-secret-123");
        await Expect(page.Locator("#opt-timeoutSeconds input")).ToHaveValueAsync("30");
        await Expect(page.Locator("#opt-timeoutSeconds-help")).ToContainTextAsync("1–3600");
        await page.Locator("#opt-timeoutSeconds input").FillAsync("0");
        await page.Locator("#btn-save-connection").ClickAsync();
        await Expect(page.Locator("#connection-errors")).ToContainTextAsync("Timeout (seconds):");
        await page.Locator("#opt-timeoutSeconds input").FillAsync("45");
        await page.Locator("#btn-save-connection").ClickAsync();
        await Expect(page.Locator("#connection-info")).ToContainTextAsync("api was created");

        var stored = await admin.GetFromJsonAsync<JsonObject>("/api/v1/connections/api");
        var config = stored!["config"]!.AsObject();
        Assert.Equal("issues", config["streams"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(["id", "number"], config["streams"]![0]!["primaryKey"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("application/json", config["headers"]!["Accept"]!.GetValue<string>());
        Assert.Equal(45, config["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal(["auth.token"], stored["secretOptions"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.NotEqual("tok-secret-123", config["auth"]!["token"]!.GetValue<string>());

        // Editing shows the stored secret as the mask, never the value, and saving keeps it.
        await Expect(page.Locator("#opt-auth-token input")).ToHaveValueAsync(Mask);
        await Expect(page.Locator("#opt-auth-token-stored")).ToBeVisibleAsync();
        Assert.DoesNotContain("tok-secret-123", await page.ContentAsync(), StringComparison.Ordinal);
        await SaveAgainAsync(page);
        await Expect(page.Locator("#connection-info")).ToContainTextAsync("api was saved");
        stored = await admin.GetFromJsonAsync<JsonObject>("/api/v1/connections/api");
        Assert.Equal(["auth.token"], stored!["secretOptions"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Removing it is a deliberate choice, not an emptied field.
        await page.Locator("#opt-auth-token-remove").ClickAsync();
        await Expect(page.Locator("#opt-auth-token-keep")).ToBeVisibleAsync();
        await SaveAgainAsync(page);
        await Expect(page.Locator("#opt-auth-token-stored")).ToHaveCountAsync(0);
        await Expect(page.Locator("#opt-auth-token input")).ToHaveValueAsync("");
        stored = await admin.GetFromJsonAsync<JsonObject>("/api/v1/connections/api");
        Assert.Empty(stored!["secretOptions"]!.AsArray());
        Assert.Equal("issues", stored["config"]!["streams"]![0]!["name"]!.GetValue<string>());
        Assert.Empty(ui.Errors);
    }

    private const string Mask = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

    /// <summary>Saves the form again and waits until the previous save's message bar has been replaced.</summary>
    private static async Task SaveAgainAsync(IPage page)
    {
        var previous = await page.Locator("#connection-info").ElementHandleAsync();
        await page.Locator("#btn-save-connection").ClickAsync();
        await previous.WaitForElementStateAsync(ElementState.Hidden);
    }

    [GeneratedRegex(@"\(\d+ ms")]
    private static partial Regex MillisecondsPattern();
}
