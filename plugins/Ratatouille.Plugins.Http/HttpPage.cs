using System.Text.Json;

namespace Ratatouille.Plugins.Http;

/// <summary>One successful response: its URL, parsed body and <c>Link</c> headers. Disposing frees the body.</summary>
internal sealed class HttpPage(Uri url, JsonDocument body, IReadOnlyList<string> linkHeaders) : IDisposable
{
    public Uri Url { get; } = url;

    public JsonElement Body => body.RootElement;

    public IReadOnlyList<string> LinkHeaders { get; } = linkHeaders;

    public void Dispose() => body.Dispose();
}
