using DuckDB.NET.Data;

namespace Ratatouille.Query;

/// <summary>
/// One in-process DuckDB database, kept alive by a connection of its own; callers open
/// cheap extra connections to it. Two kinds exist: the <b>sandbox</b> where user SQL runs
/// (read-only files under allowed folders, no network, configuration locked) and the
/// <b>kernel</b> instance where the platform's own SQL runs (ingest, writes).
/// </summary>
public sealed class DuckDbInstance : IDisposable
{
    private readonly DuckDBConnection _keeper;

    private DuckDbInstance()
    {
        // A plain ":memory:" database per instance; further connections are duplicates of the keeper
        // (a named ":memory:x" data source would be a file called ":memory:x" on disk).
        _keeper = new DuckDBConnection("DataSource=:memory:;errors_as_json=true");
        _keeper.Open();
    }

    /// <summary>
    /// A sandbox: settings first, then <c>enable_external_access=false</c>, then
    /// <c>lock_configuration=true</c> (the order matters: nothing can be set after the lock).
    /// </summary>
    public static DuckDbInstance CreateSandbox(QueryOptions options, IEnumerable<string> readableFolders, Action<DuckDBConnection>? beforeLock = null)
    {
        var instance = new DuckDbInstance();
        try
        {
            var folders = readableFolders.Select(f => f.EndsWith('/') ? f : f + "/").ToList();
            instance.Execute(
                "SET autoinstall_known_extensions=false; SET autoload_known_extensions=false; " +
                $"SET memory_limit={Sql.Literal(options.MemoryLimit)}; SET threads={options.EffectiveThreads}; " +
                "SET preserve_insertion_order=true; SET TimeZone='UTC'; " +
                $"SET allowed_directories={Sql.List(folders)}; " +
                "CREATE SCHEMA bronze; CREATE SCHEMA silver; CREATE SCHEMA gold; CREATE SCHEMA _snapshots;");
            beforeLock?.Invoke(instance._keeper);
            instance.Execute("SET enable_external_access=false; SET lock_configuration=true;");
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    /// <summary>The kernel's own instance: no user SQL ever runs here.</summary>
    public static DuckDbInstance CreateKernel(QueryOptions options, string tempFolder)
    {
        var instance = new DuckDbInstance();
        try
        {
            Directory.CreateDirectory(tempFolder);
            instance.Execute(
                "SET autoinstall_known_extensions=false; SET autoload_known_extensions=false; " +
                $"SET memory_limit={Sql.Literal(options.IngestMemoryLimit)}; SET threads={options.EffectiveThreads}; " +
                $"SET temp_directory={Sql.Literal(tempFolder)}; SET preserve_insertion_order=true; SET TimeZone='UTC';");
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    public DuckDBConnection Open()
    {
        DuckDBConnection connection;
        lock (_keeper)
        {
            connection = _keeper.Duplicate();
        }

        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs statements on the keeper connection (setup and view maintenance only).</summary>
    public void Execute(string sql)
    {
        lock (_keeper)
        {
            using var command = _keeper.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _keeper.Dispose();
}
