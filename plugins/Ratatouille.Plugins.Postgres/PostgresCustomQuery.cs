using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Postgres;

/// <summary>A SELECT offered as a stream of its own.</summary>
public sealed class PostgresCustomQuery
{
    [Required]
    [RegularExpression(PostgresOptions.QueryNamePattern, ErrorMessage = "A query name is 1 to 128 letters, digits, '_' or '-' (no dots: 'schema.table' names belong to tables).")]
    [DisplayName("Stream name")]
    [Description("The name of the stream this query becomes, e.g. daily_revenue.")]
    public string Name { get; set; } = "";

    [Required]
    [StringLength(100_000, MinimumLength = 1)]
    [DisplayName("SQL")]
    [Description("One SELECT (or WITH … SELECT / VALUES / TABLE) statement, without parameters. It runs in a read-only transaction.")]
    public string Sql { get; set; } = "";

    [DisplayName("Cursor field")]
    [Description("The column incremental reads follow by default (an integer, numeric, date or timestamp column that only grows). Empty: a column named like updated_at, if any.")]
    public string? CursorField { get; set; }

    [DisplayName("Primary key")]
    [Description("The columns that identify a row of the result.")]
    public IReadOnlyList<string>? PrimaryKey { get; set; }
}
