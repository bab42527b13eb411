using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>A SELECT read as a stream of its own.</summary>
public sealed class SqliteQueryOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,128}$", ErrorMessage = "must be 1 to 128 letters, digits, '_', '-' or '.'")]
    [DisplayName("Stream name")]
    [Description("The stream's name; must differ from the tables' and views' names.")]
    public string Name { get; set; } = "";

    [Required]
    [StringLength(100_000, MinimumLength = 1)]
    [DisplayName("SQL")]
    [Description("One SELECT (or WITH … SELECT) statement, e.g. SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id. Column names must be unique.")]
    public string Sql { get; set; } = "";

    [StringLength(256)]
    [DisplayName("Cursor column")]
    [Description("An ever-increasing column of the result (integer, real or text) for incremental reads; without it the query is read in full only.")]
    public string? CursorField { get; set; }

    [DisplayName("Primary key")]
    [Description("Columns of the result that identify a row.")]
    public List<string> PrimaryKey { get; set; } = [];
}
