using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Sqlite.Tests;

/// <summary>A temporary import root with real SQLite files, a context that opens it, and the connector.</summary>
public sealed class SqliteFixture : IDisposable
{
    public SqliteFixture()
    {
        Folder = Directory.CreateTempSubdirectory("ratatouille-sqlite-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Folder, "import")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Folder, "outside")).FullName;
        Context = new TestPluginContext("sqlite") { FileContext = new ImportRootsFileContext(Root) };
    }

    /// <summary>Holds <see cref="Root"/> and <see cref="Outside"/>.</summary>
    public string Folder { get; }

    /// <summary>The import root.</summary>
    public string Root { get; }

    /// <summary>A folder next to the root that the connector must not read.</summary>
    public string Outside { get; }

    public SqliteConnector Connector { get; } = new();

    public TestPluginContext Context { get; }

    public ConnectorHarness Harness => new(Connector, Context);

    /// <summary>Creates (or extends) a database file by running <paramref name="sql"/>; returns its path.</summary>
    public static string Create(string path, string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return path;
    }

    public static SqliteOptions Bind(string json) => (SqliteOptions)OptionsSchema.Bind(typeof(SqliteOptions), JsonNode.Parse(json));

    public static SqliteOptions Options(string path, string extra = "") =>
        Bind($$"""{ "path": {{JsonValue.Create(path).ToJsonString()}}{{(extra.Length > 0 ? ", " + extra : "")}} }""");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A test still holding a file must not fail the others; the temp folder is cleaned by the OS.
        }
    }
}
