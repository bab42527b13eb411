using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ratatouille.Testing;

/// <summary>
/// A private PostgreSQL cluster for one test run: <c>initdb</c> into a temporary folder, <c>pg_ctl start</c>
/// on a free loopback port, stopped and deleted on dispose. The socket accepts the superuser without a
/// password (for <see cref="RunSqlAsync"/>); TCP asks every role for its password (scram-sha-256), so tests
/// connect the way a user's connection does. When the tests run as root (CI), the cluster belongs to the
/// <c>postgres</c> OS user, since PostgreSQL refuses to run as root. <c>./test.sh</c> installs PostgreSQL.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    /// <summary>The loopback address the server listens on.</summary>
    public const string Host = "127.0.0.1";

    private readonly string _bin;
    private readonly string? _runAs;

    private PostgresServer(string bin, string? runAs, string directory, int port, string password)
    {
        _bin = bin;
        _runAs = runAs;
        Directory = directory;
        Port = port;
        SuperUserPassword = password;
    }

    public int Port { get; }

    /// <summary>The superuser's password over TCP.</summary>
    public string SuperUserPassword { get; }

    /// <summary>The folder holding the cluster (<c>data/</c>), its log (<c>server.log</c>) and its socket.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>An Npgsql connection string over TCP (the superuser's unless <paramref name="user"/> is given).</summary>
    public string ConnectionString(string database = "postgres", string user = SuperUser, string? password = null) =>
        string.Create(CultureInfo.InvariantCulture, $"Host={Host};Port={Port};Database={database};Username={user};Password={password ?? SuperUserPassword};Pooling=false");

    /// <summary>Where initdb, pg_ctl and psql are: next to <c>initdb</c> on PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static string? FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = new FileInfo(Path.Combine(dir, "initdb"));
            if (initdb.Exists)
            {
                // Debian links /usr/bin tools to a wrapper; follow links to the real folder, where pg_ctl lives too.
                var target = initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName;
                var folder = Path.GetDirectoryName(target)!;
                if (File.Exists(Path.Combine(folder, "pg_ctl")))
                {
                    return folder;
                }
            }
        }

        const string root = "/usr/lib/postgresql";
        return System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault()
            : null;
    }

    /// <summary>Creates and starts a cluster.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): run ./test.sh, which installs it.");
        var runAs = Environment.UserName == "root" ? SuperUser : null;
        var directory = RepositoryPaths.NewTempFolder("postgres");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var server = new PostgresServer(bin, runAs, directory, FreePort.Next(), password);
        try
        {
            await server.InitializeAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs SQL through psql over the socket as the superuser, stopping at the first error; returns the output rows (unaligned, <c>|</c>-separated).</summary>
    public async Task<string> RunSqlAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        var psql = File.Exists(Path.Combine(_bin, "psql")) ? Path.Combine(_bin, "psql") : "psql";
        var (code, output) = await RunAsync(
            psql,
            ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", Directory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, "-d", database],
            asOwner: false,
            standardInput: sql,
            cancellationToken);
        return code == 0 ? output.TrimEnd('\n') : throw new InvalidOperationException($"psql failed ({code}): {output}");
    }

    /// <summary>One value from <paramref name="sql"/> (the first column of the first row).</summary>
    public async Task<string> ScalarAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default) =>
        (await RunSqlAsync(sql, database, cancellationToken)).Split('\n')[0].Split('|')[0];

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], asOwner: true, null, CancellationToken.None);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned another day.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(Directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperUserPassword + "\n", cancellationToken);
        if (_runAs is not null && !OperatingSystem.IsWindows())
        {
            // The postgres user must be able to walk into the shared temp folder whatever the umask made it.
            var parent = Path.GetDirectoryName(Directory)!;
            File.SetUnixFileMode(parent, File.GetUnixFileMode(parent) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            await RunCheckedAsync("chown", ["-R", _runAs, Directory], asOwner: false, cancellationToken);
        }

        await RunCheckedAsync(
            Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            asOwner: true,
            cancellationToken);
        File.Delete(passwordFile);

        // Durability is worthless for a throw-away cluster; turning it off makes bulk test data several times faster.
        var settings = string.Join(' ', new[]
        {
            "-c listen_addresses=127.0.0.1",
            "-p " + Port.ToString(CultureInfo.InvariantCulture),
            "-c unix_socket_directories=" + Directory,
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c wal_level=minimal",
            "-c max_wal_senders=0",
            "-c max_connections=50",
        });
        await RunCheckedAsync(Path.Combine(_bin, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", settings], asOwner: true, cancellationToken);
    }

    private async Task RunCheckedAsync(string program, IReadOnlyList<string> arguments, bool asOwner, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(program, arguments, asOwner, null, cancellationToken);
        if (code != 0)
        {
            var log = File.Exists(LogFile) ? "\n" + await File.ReadAllTextAsync(LogFile, cancellationToken) : "";
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({code}): {output}{log}");
        }
    }

    private async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, bool asOwner, string? standardInput, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        if (asOwner && _runAs is not null)
        {
            info.FileName = "runuser";
            foreach (var arg in new[] { "-u", _runAs, "--", program })
            {
                info.ArgumentList.Add(arg);
            }
        }
        else
        {
            info.FileName = program;
        }

        foreach (var arg in arguments)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LC_ALL"] = "C";
        info.Environment.Remove("PGPASSWORD");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
