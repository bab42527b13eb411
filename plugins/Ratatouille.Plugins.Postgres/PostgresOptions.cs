using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>Configuration of a PostgreSQL connection.</summary>
[Description("A PostgreSQL database (version 12 or later): its tables, views and materialized views, and optional custom queries.")]
public sealed class PostgresOptions : IValidatableObject
{
    internal const string QueryNamePattern = "^[A-Za-z0-9_-]{1,128}$";

    [Required]
    [StringLength(255, MinimumLength = 1)]
    [DisplayName("Host")]
    [Description("Host name or IP address of the server.")]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    [DisplayName("Port")]
    public int Port { get; set; } = 5432;

    [Required]
    [StringLength(63, MinimumLength = 1)]
    [DisplayName("Database")]
    public string Database { get; set; } = "";

    [Required]
    [StringLength(63, MinimumLength = 1)]
    [DisplayName("User name")]
    [Description("A role with CONNECT on the database, USAGE on the schemas and SELECT on the tables to read.")]
    public string Username { get; set; } = "";

    [Secret]
    [DisplayName("Password")]
    [Description("Empty when the server does not ask for one.")]
    public string? Password { get; set; }

    [DisplayName("TLS")]
    [Description("disable: plain text. prefer: TLS when the server offers it. require: always TLS, certificate not checked. verifyFull: always TLS with a trusted certificate naming the host.")]
    public PostgresSslMode SslMode { get; set; } = PostgresSslMode.Prefer;

    [DisplayName("Schemas")]
    [Description("The schemas whose tables and views become streams. Empty: every schema except pg_catalog, information_schema and the other pg_* schemas.")]
    public IReadOnlyList<string>? Schemas { get; set; }

    [DisplayName("Custom queries")]
    [Description("SELECT statements offered as streams of their own, named by their name.")]
    public IReadOnlyList<PostgresCustomQuery>? CustomQueries { get; set; }

    [DisplayName("Cursor fields")]
    [Description("The default cursor of tables and views for incremental reads, by stream name: { \"public.events\": \"id\" }. Without one, only updated_at-like timestamps and serial/identity keys are (see the documentation).")]
    public IReadOnlyDictionary<string, string>? CursorFields { get; set; }

    [Range(1, 600)]
    [DisplayName("Connect timeout (seconds)")]
    public int ConnectTimeoutSeconds { get; set; } = 15;

    [Range(0, 86_400)]
    [DisplayName("Command timeout (seconds)")]
    [Description("The longest wait for the server's next answer: a catalog query, or the next rows of a read (an incremental read sorts before its first row). 0: no limit.")]
    public int CommandTimeoutSeconds { get; set; } = 300;

    /// <summary>The schemas to discover, or null for all non-system schemas.</summary>
    internal IReadOnlyList<string>? SchemaFilter => Schemas is { Count: > 0 } ? Schemas : null;

    /// <summary>The custom queries, never null.</summary>
    internal IReadOnlyList<PostgresCustomQuery> Queries => CustomQueries ?? [];

    /// <summary>The configured default cursor of <paramref name="stream"/> (a custom query's own, or from <see cref="CursorFields"/>), or null.</summary>
    internal string? ConfiguredCursor(string stream) =>
        Queries.FirstOrDefault(q => q?.Name == stream)?.CursorField is { Length: > 0 } field ? field
        : CursorFields is not null && CursorFields.TryGetValue(stream, out var configured) ? configured
        : null;

    /// <summary>
    /// The problems <see cref="Validate"/> finds, for the connector to refuse the options itself: the lists' items
    /// are not validated by every host.
    /// </summary>
    internal IReadOnlyList<string> Problems() =>
        Validate(new ValidationContext(this)).Select(r => r.ErrorMessage ?? "invalid").ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Schemas is not null && Schemas.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("A schema name cannot be empty.", [nameof(Schemas)]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Queries.Count; i++)
        {
            var query = Queries[i];
            if (query is null)
            {
                yield return new ValidationResult($"Custom query {i + 1} is empty.", [nameof(CustomQueries)]);
                continue;
            }

            // The SDK validates nested objects, not the items of lists: validate each query here.
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(query, new ValidationContext(query), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return new ValidationResult($"Custom query {i + 1}: {result.ErrorMessage}", [nameof(CustomQueries)]);
                }

                continue;
            }

            if (!names.Add(query.Name))
            {
                yield return new ValidationResult($"Custom query {i + 1}: the name '{query.Name}' is used twice.", [nameof(CustomQueries)]);
            }
        }

        foreach (var (stream, field) in CursorFields ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(stream) || string.IsNullOrWhiteSpace(field))
            {
                yield return new ValidationResult("A cursor field needs a stream name and a column name.", [nameof(CursorFields)]);
            }
        }
    }
}
