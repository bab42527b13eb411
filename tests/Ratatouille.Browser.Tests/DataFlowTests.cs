using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ratatouille.Browser.Tests;

/// <summary>The flow in a real browser against a real server: upload → preview → query → export, and errors a user must see.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DataFlowTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    // A leading-zero code (must stay text), a quoted field with a comma, an escaped quote, an empty field.
    private const string PeopleCsv =
        "code,name,city,visits\n" +
        "00123,\"Smith, John\",Paris,3\n" +
        "00456,Ann,Rome,\n" +
        "01000,\"Lee \"\"The Rat\"\"\",Oslo,12\n";

    [Fact]
    public async Task UploadPreviewQueryExport_ShowsExactlyTheUploadedRows()
    {
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;

        // A new instance: Home tells the user to upload a file.
        await ui.GoToAsync("/");
        await Expect(page.Locator("#home-empty")).ToContainTextAsync("No datasets yet");

        // Upload through the catalog page (an editor's route).
        await page.Locator("#home-empty fluent-anchor-button, #home-empty a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(ui.BaseAddress, "/catalog/upload").ToString());
        await page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await ui.ChooseUploadFileAsync(new FilePayload
        {
            Name = "People List.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(PeopleCsv),
        });
        // The name is suggested from the file name; the user keeps it.
        await Expect(page.Locator("#upload-name input")).ToHaveValueAsync("people_list");
        await page.Locator("#btn-upload").ClickAsync();

        // The page moves to the new dataset and shows its first snapshot and rows.
        await Expect(page).ToHaveURLAsync(new Uri(ui.BaseAddress, "/catalog/bronze/people_list").ToString());
        await Expect(page.Locator("#dataset-title")).ToHaveTextAsync("bronze.people_list");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–3 of 3");
        await AssertTableAsync(page.Locator("#preview-table"),
            ["code", "name", "city", "visits"],
            [
                ["1", "00123", "Smith, John", "Paris", "3"],
                ["2", "00456", "Ann", "Rome", "NULL"],
                ["3", "01000", "Lee \"The Rat\"", "Oslo", "12"],
            ]);
        await Expect(page.Locator("#schema-table tbody tr").First).ToContainTextAsync("VARCHAR");
        await Expect(page.Locator("#snapshots-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#snapshots-table tbody tr").First).ToContainTextAsync("current");

        // Query it in the workbench, opened from the dataset page.
        await page.Locator("#btn-query-dataset").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sql\\?sql="));
        await WaitForEditorAsync(page);
        await SetEditorTextAsync(page, "SELECT code, name, visits * 2 AS twice\nFROM bronze.people_list\nWHERE city <> 'Rome'\nORDER BY code");
        await page.Locator("#btn-run").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("2 rows");
        await AssertTableAsync(page.Locator("#results-table"),
            ["code", "name", "twice"],
            [
                ["1", "00123", "Smith, John", "6"],
                ["2", "01000", "Lee \"The Rat\"", "24"],
            ]);

        // Export what was run as CSV: the file holds all rows, RFC 4180 quoted.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-csv").ClickAsync());
        var path = Path.Combine(fixture.DataDirectory, "download-" + Guid.NewGuid().ToString("N") + ".csv");
        await download.SaveAsAsync(path);
        var csv = (await File.ReadAllTextAsync(path)).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal("code,name,twice\n00123,\"Smith, John\",6\n01000,\"Lee \"\"The Rat\"\"\",24\n", csv);
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);

        // Home now counts the dataset in bronze.
        await ui.GoToAsync("/");
        await Expect(page.Locator("[data-testid='layer-bronze-stats']")).ToContainTextAsync("1 dataset · 3 rows");
        await Expect(page.Locator("[data-testid='dataset-link-bronze.people_list']")).ToBeVisibleAsync();
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task InvalidQuery_ShowsMessageWithLineAndColumnAndMarksTheEditor()
    {
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await ui.GoToAsync("/sql");
        await WaitForEditorAsync(page);
        await SetEditorTextAsync(page, "SELECT 1 AS one,\n  no_such_column\nFROM range(3)");

        // Ctrl+Enter in the editor runs it, as a user would.
        await page.Locator("#sql-editor .view-lines").ClickAsync();
        await page.Keyboard.PressAsync("Control+Enter");

        var error = page.Locator("#query-error");
        await Expect(error).ToContainTextAsync("line 2, column 3");
        await Expect(error).ToContainTextAsync("no_such_column");
        await Expect(page.Locator("#results-table")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sql-editor .squiggly-error")).ToHaveCountAsync(1);

        // Fixing the statement clears the error and the marker.
        await SetEditorTextAsync(page, "SELECT 1 AS one");
        await page.Locator("#btn-run").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("1 row");
        await Expect(page.Locator("#query-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sql-editor .squiggly-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task UploadOfUnreadableFile_ShowsErrorAndCreatesNothing()
    {
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await ui.GoToAsync("/catalog");
        await ui.ChooseUploadFileAsync(new FilePayload
        {
            Name = "notes.xyz",
            MimeType = "application/octet-stream",
            Buffer = Encoding.UTF8.GetBytes("just some text"),
        });
        await page.Locator("#btn-upload").ClickAsync();

        await Expect(page.Locator("#upload-error")).ToContainTextAsync("Cannot tell the format of 'notes.xyz'");
        await Expect(page).ToHaveURLAsync(new Uri(ui.BaseAddress, "/catalog").ToString());
        await Expect(page.Locator("[data-testid='catalog-link-bronze.notes']")).ToHaveCountAsync(0);
        Assert.Empty(ui.Errors);
    }

    private static async Task WaitForEditorAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("#sql-editor .monaco-editor");
        // Run is enabled once the editor's Ctrl+Enter command is registered.
        await Expect(page.Locator("#btn-run:not([disabled])")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// Replaces the editor's text through Monaco's own API: typing multi-line SQL would fight Monaco's
    /// auto-indent and suggestions, which is not what these tests are about.
    /// </summary>
    private static async Task SetEditorTextAsync(IPage page, string sql) =>
        await page.EvaluateAsync("sql => window.blazorMonaco.editor.getEditor('sql-editor').setValue(sql)", sql);

    private static async Task AssertTableAsync(ILocator table, string[] headers, string[][] rows)
    {
        // Headers show the name and, beneath it, the type: compare the name part.
        var headerCells = table.Locator("thead th");
        await Expect(headerCells).ToHaveCountAsync(headers.Length + 1);
        for (var i = 0; i < headers.Length; i++)
        {
            await Expect(headerCells.Nth(i + 1)).ToContainTextAsync(headers[i]);
        }

        var bodyRows = table.Locator("tbody tr");
        await Expect(bodyRows).ToHaveCountAsync(rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            await Expect(bodyRows.Nth(r).Locator("td")).ToHaveTextAsync(rows[r]);
        }
    }
}
