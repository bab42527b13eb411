using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>Configuration of a SQLite connection: a database file inside an import root, opened read-only.</summary>
[Description("A SQLite database file on the server, inside a folder an administrator opened for import.")]
public sealed class SqliteOptions
{
    [Required]
    [StringLength(4096, MinimumLength = 1)]
    [DisplayName("Database file")]
    [Description("The .db/.sqlite file: relative to an import root (e.g. shop/shop.db) or an absolute path inside one. It is opened read-only.")]
    public string Path { get; set; } = "";

    [DisplayName("Tables and views")]
    [Description("Offer every table and view (except SQLite's own sqlite_* tables) as a stream. Turn off to read only the queries.")]
    public bool IncludeTables { get; set; } = true;

    [DisplayName("Queries")]
    [Description("SELECT statements read as streams of their own.")]
    public List<SqliteQueryOptions> Queries { get; set; } = [];

    [DisplayName("Default cursors")]
    [Description("The cursor column for incremental reads of a table or view, by stream name, e.g. {\"orders\": \"updated_at\"}. Tables with a single integer primary key use it by default.")]
    public Dictionary<string, string> CursorFields { get; set; } = [];
}
