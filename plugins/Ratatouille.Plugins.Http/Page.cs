using System.Text.Json;

namespace Ratatouille.Plugins.Http;

/// <summary>The records of one page (valid until the next page is requested).</summary>
/// <param name="Number">1 for the first page of a read.</param>
internal sealed record Page(int Number, Uri Url, IReadOnlyList<JsonElement> Records, bool SelectorFound, JsonElement Body);
