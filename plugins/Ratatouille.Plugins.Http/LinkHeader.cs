namespace Ratatouille.Plugins.Http;

/// <summary>Reads the <c>Link</c> header (RFC 8288): <c>&lt;https://api/x?page=2&gt;; rel="next", &lt;…&gt;; rel="last"</c>.</summary>
internal static class LinkHeader
{
    /// <summary>The target of the link whose relation types include <paramref name="relation"/>, or null.</summary>
    public static string? Find(IEnumerable<string> headerValues, string relation)
    {
        foreach (var header in headerValues)
        {
            var position = 0;
            while (position < header.Length)
            {
                var open = header.IndexOf('<', position);
                if (open < 0)
                {
                    break;
                }

                var close = header.IndexOf('>', open + 1);
                if (close < 0)
                {
                    break;
                }

                var target = header[(open + 1)..close].Trim();
                var (parameters, end) = ReadParameters(header, close + 1);
                position = end;
                if (parameters.TryGetValue("rel", out var rel)
                    && rel.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(relation, StringComparer.OrdinalIgnoreCase))
                {
                    return target;
                }
            }
        }

        return null;
    }

    // The parameters after a target, up to the comma that starts the next link (commas inside quotes do not count).
    private static (Dictionary<string, string> Parameters, int End) ReadParameters(string header, int start)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = start;
        while (i < header.Length)
        {
            while (i < header.Length && header[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= header.Length || header[i] == ',')
            {
                return (parameters, i + 1);
            }

            if (header[i] != ';')
            {
                i++;
                continue;
            }

            i++;
            var nameStart = i;
            while (i < header.Length && header[i] is not ('=' or ';' or ','))
            {
                i++;
            }

            var name = header[nameStart..i].Trim();
            var value = "";
            if (i < header.Length && header[i] == '=')
            {
                i++;
                while (i < header.Length && header[i] is ' ' or '\t')
                {
                    i++;
                }

                if (i < header.Length && header[i] == '"')
                {
                    var closing = header.IndexOf('"', i + 1);
                    closing = closing < 0 ? header.Length : closing;
                    value = header[(i + 1)..closing];
                    i = Math.Min(header.Length, closing + 1);
                }
                else
                {
                    var valueStart = i;
                    while (i < header.Length && header[i] is not (';' or ','))
                    {
                        i++;
                    }

                    value = header[valueStart..i].Trim();
                }
            }

            parameters.TryAdd(name, value);
        }

        return (parameters, i);
    }
}
