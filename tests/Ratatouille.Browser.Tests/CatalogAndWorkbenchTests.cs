using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ratatouille.Browser.Tests;

/// <summary>Paging, snapshot history, rollback, delete and the workbench's paging and cancel, on their own server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CatalogAndWorkbenchTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Preview_PagesThroughPinnedSnapshot_ThenRollbackAndDelete()
    {
        // Seeded through the REST API: these steps are not what this test is about.
        var first = await UploadAsync("silver", "sales", SalesCsv(1, 130), "append");
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await ui.GoToAsync("/catalog/silver/sales");

        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–50 of 130");
        await Expect(page.Locator("#preview-prev")).ToHaveAttributeAsync("disabled", string.Empty);
        await page.Locator("#preview-next").ClickAsync();
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 51–100 of 130");
        await Expect(page.Locator("#preview-table tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("51");
        await page.Locator("#preview-next").ClickAsync();
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 101–130 of 130");
        await Expect(page.Locator("#preview-table tbody tr")).ToHaveCountAsync(30);
        await Expect(page.Locator("#preview-next")).ToHaveAttributeAsync("disabled", string.Empty);

        // Someone appends meanwhile: the page learns of it, but the preview stays on its snapshot until asked.
        await UploadAsync("silver", "sales", SalesCsv(131, 70), "append");
        await Expect(page.Locator("#preview-stale")).ToContainTextAsync("A newer snapshot exists");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 101–130 of 130");
        await Expect(page.Locator("#snapshots-table tbody tr")).ToHaveCountAsync(2);
        await page.Locator("#btn-preview-latest").ClickAsync();
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–50 of 200");
        await Expect(page.Locator("#preview-stale")).ToHaveCountAsync(0);

        // Roll back to the first snapshot, behind a confirmation.
        await page.Locator($"#btn-rollback-{first}").ClickAsync();
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Roll back" }).ClickAsync();
        await Expect(page.Locator("#catalog-info")).ToContainTextAsync($"rolled back to snapshot {first}");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–50 of 130");
        await Expect(page.Locator("#snapshots-table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#snapshots-table tbody tr").First).ToContainTextAsync("rollback");
        await Expect(page.Locator("#snapshots-table tbody tr").First).ToContainTextAsync("current");

        // Cancelling the delete dialog keeps the dataset; confirming removes it.
        await page.Locator("#btn-delete-dataset").ClickAsync();
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#dataset-title")).ToHaveTextAsync("silver.sales");
        await page.Locator("#btn-delete-dataset").ClickAsync();
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(ui.BaseAddress, "/catalog").ToString());
        await Expect(page.Locator("[data-testid='catalog-link-silver.sales']")).ToHaveCountAsync(0);
        Assert.Empty(ui.Errors);

        // Both were done in the UI only, and the audit log names who did them.
        var audit = await (await fixture.AdminClientAsync()).GetStringAsync("/api/v1/audit?action=dataset.");
        Assert.Contains("dataset.rollback", audit, StringComparison.Ordinal);
        Assert.Contains("dataset.delete", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_SchemaConflict_ShowsCatalogMessageAndKeepsData()
    {
        await UploadAsync("bronze", "conflict", "id,label\n1,a\n2,b\n", "append");
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await ui.GoToAsync("/catalog/bronze/conflict");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–2 of 2");

        // "Create only" into an existing dataset is refused by the catalog.
        await ui.ChooseUploadFileAsync(new FilePayload
        {
            Name = "more.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("id,label\n3,c\n"),
        });
        await page.Locator("#upload-mode fluent-radio[value='create']").ClickAsync();
        await page.Locator("#btn-upload").ClickAsync();
        await Expect(page.Locator("#upload-error")).ToContainTextAsync("exists");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–2 of 2");
        await Expect(page.Locator("#snapshots-table tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Workbench_PagesWithOffsetAndLimit_AndCancelStopsALongQuery()
    {
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await ui.GoToAsync("/sql?sql=" + Uri.EscapeDataString("SELECT range AS n FROM range(250) ORDER BY n"));
        await Expect(page.Locator("#btn-run:not([disabled])")).ToHaveCountAsync(1);

        await page.Locator("#btn-run").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("Rows 1–100");
        await Expect(page.Locator("#results-truncated")).ToBeVisibleAsync();
        await Expect(page.Locator("#results-table tbody tr")).ToHaveCountAsync(100);
        await page.Locator("#results-next").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("Rows 101–200");
        await Expect(page.Locator("#results-table tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("100");
        await page.Locator("#results-next").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("Rows 201–250 of 250");
        await Expect(page.Locator("#results-truncated")).ToHaveCountAsync(0);
        await Expect(page.Locator("#results-next")).ToHaveAttributeAsync("disabled", string.Empty);
        await page.Locator("#results-prev").ClickAsync();
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("Rows 101–200");

        // A statement that would run far longer than the test: Cancel stops it and says so.
        await page.EvaluateAsync(
            "sql => window.blazorMonaco.editor.getEditor('sql-editor').setValue(sql)",
            "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b");
        await page.Locator("#btn-run").ClickAsync();
        await page.Locator("#btn-cancel").ClickAsync();
        await Expect(page.Locator("#query-notice")).ToHaveTextAsync("Query cancelled.", new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
        await Expect(page.Locator("#btn-cancel")).ToHaveCountAsync(0);

        // The workbench is usable again straight away.
        await page.EvaluateAsync("sql => window.blazorMonaco.editor.getEditor('sql-editor').setValue(sql)", "SELECT 'after' AS state");
        await page.Locator("#btn-run").ClickAsync();
        await Expect(page.Locator("#results-table tbody td").Nth(1)).ToHaveTextAsync("after");
        Assert.Empty(ui.Errors);
    }

    private static string SalesCsv(int firstId, int count)
    {
        var csv = new StringBuilder("id,product,amount\n");
        for (var id = firstId; id < firstId + count; id++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{id},p{id % 7},{id * 1.25m}\n");
        }

        return csv.ToString();
    }

    /// <summary>Seeds a dataset through the REST API; returns the new snapshot id.</summary>
    private async Task<long> UploadAsync(string layer, string name, string csv, string mode)
    {
        var http = await fixture.AdminClientAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name + ".csv");
        using var response = await http.PostAsync($"api/v1/datasets/{layer}/{name}/upload?mode={mode}", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("snapshotId").GetInt64();
    }
}
