namespace Ratatouille.Plugins.Http;

/// <summary>Building request URLs from the base URL, a path and parameters; showing them without secrets.</summary>
internal static class RequestUrl
{
    /// <summary>
    /// <paramref name="baseUrl"/> + <paramref name="path"/> (which may carry its own query), then
    /// <paramref name="parameters"/>, each replacing a parameter of the same name already there.
    /// </summary>
    public static Uri Build(string baseUrl, string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var root = baseUrl.TrimEnd('/');
        var relative = path.Trim();
        var url = relative.Length == 0 ? root : root + "/" + relative.TrimStart('/');
        return WithParameters(new Uri(url, UriKind.Absolute), parameters);
    }

    /// <summary><paramref name="url"/> with <paramref name="parameters"/> set (replacing those of the same name).</summary>
    public static Uri WithParameters(Uri url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = Parse(url.Query);
        foreach (var (name, value) in parameters)
        {
            var encoded = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
            var index = query.FindIndex(p => p.Name == name);
            if (index >= 0)
            {
                query[index] = (name, encoded);
            }
            else
            {
                query.Add((name, encoded));
            }
        }

        var builder = new UriBuilder(url) { Query = string.Join('&', query.Select(p => p.Raw)) };
        return builder.Uri;
    }

    /// <summary>Whether <paramref name="url"/> has a query parameter named <paramref name="name"/>.</summary>
    public static bool HasParameter(Uri url, string name) => Parse(url.Query).Exists(p => p.Name == name);

    /// <summary>The URL as it may appear in logs and messages: no user info, the secret parameter masked.</summary>
    public static string Display(Uri url, string? secretParameter)
    {
        var builder = new UriBuilder(url) { UserName = "", Password = "" };
        if (!string.IsNullOrEmpty(secretParameter))
        {
            var query = Parse(url.Query).Select(p => p.Name == secretParameter ? Uri.EscapeDataString(p.Name) + "=***" : p.Raw);
            builder.Query = string.Join('&', query);
        }

        // UriBuilder shows the default port; the URL as configured is easier to recognise.
        return builder.Uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }

    /// <summary>Same scheme, host and port: credentials are only ever sent to the configured API's origin.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static List<(string Name, string Raw)> Parse(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => (Name: Uri.UnescapeDataString(part.Split('=', 2)[0].Replace('+', ' ')), Raw: part))
            .ToList();
}
