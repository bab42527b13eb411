using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// The rules that span several options (auth type → its secret, pagination type → its path, …) and the
/// items of lists, which the platform's binder does not check. Every operation starts here, so a
/// connection saved with such a mistake fails its check with the same message.
/// </summary>
internal static class HttpOptionsValidator
{
    /// <exception cref="InvalidOptionsException">Every problem found, each naming its option.</exception>
    public static void ThrowIfInvalid(HttpOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOptionsException(problems);
        }
    }

    public static List<string> Problems(HttpOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("'baseUrl': must be an absolute http:// or https:// URL");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            problems.Add("'baseUrl': must not carry credentials; use basic authentication");
        }

        if (options.MaxBackoffSeconds < options.InitialBackoffSeconds)
        {
            problems.Add("'maxBackoffSeconds': must not be below initialBackoffSeconds");
        }

        // JSON null slips past the binder into non-nullable properties.
        if (options.Auth is null || options.Headers is null || options.Streams is null)
        {
            problems.AddRange(new[] { ("auth", options.Auth is null), ("headers", options.Headers is null), ("streams", options.Streams is null) }
                .Where(p => p.Item2).Select(p => $"'{p.Item1}': must not be null"));
            return problems;
        }

        Auth(options.Auth, problems);
        var streams = options.Streams;
        if (streams.Count == 0)
        {
            problems.Add("'streams': must list at least one stream");
        }

        for (var i = 0; i < streams.Count; i++)
        {
            if (streams[i] is null)
            {
                problems.Add($"'streams[{i}]': must be an object");
                continue;
            }

            Stream(streams[i], $"streams[{i}].", problems);
        }

        if (streams.Where(s => s is not null).GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"'streams': has two streams named '{twice.Key}'");
        }

        return problems;
    }

    private static void Auth(HttpAuthOptions auth, List<string> problems)
    {
        switch (auth.Type)
        {
            case HttpAuthType.Bearer when string.IsNullOrEmpty(auth.Token):
                problems.Add("'auth.token': is required for bearer authentication");
                break;
            case HttpAuthType.Basic when string.IsNullOrEmpty(auth.Username):
                problems.Add("'auth.username': is required for basic authentication");
                break;
            case HttpAuthType.Basic when auth.Username!.Contains(':', StringComparison.Ordinal):
                problems.Add("'auth.username': must not contain ':' (basic authentication joins username and password with it)");
                break;
            case HttpAuthType.ApiKey:
                if (string.IsNullOrEmpty(auth.ApiKeyName))
                {
                    problems.Add("'auth.apiKeyName': is required for API key authentication");
                }

                if (string.IsNullOrEmpty(auth.ApiKeyValue))
                {
                    problems.Add("'auth.apiKeyValue': is required for API key authentication");
                }

                break;
        }
    }

    private static void Stream(HttpStreamOptions stream, string prefix, List<string> problems)
    {
        if (stream.Query is null || stream.Fields is null || stream.PrimaryKey is null || stream.Pagination is null)
        {
            problems.Add($"'{prefix[..^1]}': query, fields, primaryKey and pagination must not be null");
            return;
        }

        var before = problems.Count;
        problems.AddRange(OptionAttributes.Problems(stream, prefix));
        var fields = stream.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] is null)
            {
                problems.Add($"'{prefix}fields[{i}]': must be an object");
                continue;
            }

            problems.AddRange(OptionAttributes.Problems(fields[i], $"{prefix}fields[{i}]."));
        }

        var pagination = stream.Pagination;
        problems.AddRange(OptionAttributes.Problems(pagination, prefix + "pagination."));
        if (problems.Count > before)
        {
            // The rules below assume the values are well-formed.
            return;
        }

        if (stream.Path.Contains("://", StringComparison.Ordinal) || stream.Path.StartsWith("//", StringComparison.Ordinal))
        {
            problems.Add($"'{prefix}path': must be relative to the base URL (e.g. /v1/items), not a full URL");
        }

        if (!string.IsNullOrEmpty(stream.CursorParameter) && string.IsNullOrEmpty(stream.CursorField))
        {
            problems.Add($"'{prefix}cursorParameter': needs a cursorField, whose saved value it carries");
        }

        if (fields.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"'{prefix}fields': lists '{twice.Key}' twice");
        }

        if (!stream.InferFields)
        {
            if (fields.Count == 0)
            {
                problems.Add($"'{prefix}fields': must list at least one field when inferFields is off");
            }

            problems.AddRange(stream.PrimaryKey.Where(k => fields.All(f => f.Name != k)).Select(k => $"'{prefix}primaryKey': '{k}' is not among the listed fields"));
            if (!string.IsNullOrEmpty(stream.CursorField) && fields.All(f => f.Name != stream.CursorField))
            {
                problems.Add($"'{prefix}cursorField': '{stream.CursorField}' is not among the listed fields");
            }
        }

        if (pagination.Type == PaginationType.CursorToken && string.IsNullOrWhiteSpace(pagination.TokenPath))
        {
            problems.Add($"'{prefix}pagination.tokenPath': is required for cursorToken pagination");
        }

        if (pagination.Type == PaginationType.NextLink && string.IsNullOrWhiteSpace(pagination.NextLinkPath))
        {
            problems.Add($"'{prefix}pagination.nextLinkPath': is required for nextLink pagination");
        }
    }
}
