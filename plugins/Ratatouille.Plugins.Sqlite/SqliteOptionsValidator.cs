using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// What the platform's binder leaves to the connector: the items of the query list and rules across options.
/// Annotations are checked attribute by attribute like the binder does (not through <see cref="Validator"/>,
/// whose process-wide cache would keep an unloaded plugin's types alive). Every operation starts here.
/// </summary>
internal static class SqliteOptionsValidator
{
    /// <exception cref="InvalidOptionsException">Every problem found, each naming its option.</exception>
    public static void ThrowIfInvalid(SqliteOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOptionsException(problems);
        }
    }

    public static List<string> Problems(SqliteOptions options)
    {
        if (options.Queries is null || options.CursorFields is null)
        {
            return ["'queries' and 'cursorFields' must not be null"];
        }

        var problems = new List<string>();
        if (options.Path.Any(char.IsControl))
        {
            problems.Add("'path': must not contain control characters");
        }

        for (var i = 0; i < options.Queries.Count; i++)
        {
            if (options.Queries[i] is not { } query)
            {
                problems.Add($"'queries[{i}]': must be an object");
                continue;
            }

            problems.AddRange(Attributes(query, $"queries[{i}]."));
            if (query.PrimaryKey is null)
            {
                problems.Add($"'queries[{i}].primaryKey': must not be null");
            }
        }

        if (options.Queries.Where(q => q is not null).GroupBy(q => q.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"'queries': has two queries named '{twice.Key}'");
        }

        if (!options.IncludeTables && options.Queries.Count == 0)
        {
            problems.Add("'queries': must list a query when includeTables is off (there would be nothing to read)");
        }

        return problems;
    }

    private static IEnumerable<string> Attributes(object instance, string prefix)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                if (!attribute.IsValid(property.GetValue(instance)))
                {
                    yield return $"'{name}': {attribute.FormatErrorMessage(name)}";
                }
            }
        }
    }
}
