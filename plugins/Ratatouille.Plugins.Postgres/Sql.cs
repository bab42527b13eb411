namespace Ratatouille.Plugins.Postgres;

/// <summary>SQL text helpers. Values never go into SQL text: they are parameters.</summary>
internal static class Sql
{
    /// <summary>A quoted identifier: <c>"Order ""lines"""</c>.</summary>
    public static string Ident(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('\0', StringComparison.Ordinal)
            ? throw new ArgumentException("An identifier cannot contain NUL.", nameof(name))
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A relation name, schema-qualified and quoted.</summary>
    public static string Relation(string schema, string name) => Ident(schema) + "." + Ident(name);
}
