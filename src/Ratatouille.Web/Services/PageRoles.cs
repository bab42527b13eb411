using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Ratatouille.Security;

namespace Ratatouille.Web.Services;

/// <summary>
/// Which role a page needs, read from its [Authorize(Roles = …)]: the not-allowed messages use it to
/// say what the user lacks, also when the server refused a page request before any component ran.
/// </summary>
public static class PageRoles
{
    private static readonly (string[] Segments, string? Role)[] Pages = typeof(PageRoles).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Split(r.Template), LowestRole(t))))
        .ToArray();

    public static string? LowestRole(Type page)
    {
        var roles = page.GetCustomAttributes<AuthorizeAttribute>(inherit: true)
            .SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return roles.Count == 0 ? null : roles.MinBy(Roles.Rank);
    }

    /// <summary>The role for a local path such as <c>/admin/users?x=1</c>; null when unknown or none.</summary>
    public static string? ForPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var end = path.IndexOfAny(['?', '#']);
        var segments = Split(end < 0 ? path : path[..end]);
        foreach (var (template, role) in Pages)
        {
            if (template.Length == segments.Length
                && template.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase)))
            {
                return role;
            }
        }

        return null;
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
