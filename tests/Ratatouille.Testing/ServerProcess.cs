using System.Diagnostics;
using System.Text;

namespace Ratatouille.Testing;

/// <summary>
/// The real server as a separate process (the built <c>Ratatouille.Server.dll</c>) on a free port
/// with its own data directory: for browser tests and for tests that kill it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The administrator created from the environment unless <c>createAdmin</c> is false.</summary>
    public const string AdminUser = "admin";

    public const string AdminPassword = "admin-password-for-tests";

    public static async Task<ServerProcess> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, int? port = null, bool createAdmin = true, CancellationToken cancellationToken = default)
    {
        var dll = RepositoryPaths.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Server not built at {dll}.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port ?? FreePort.Next()}/");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        info.Environment["RATATOUILLE_DATA_DIR"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // Tests sign in many times from one address; the per-address limit has a test of its own.
        info.Environment["Security__LoginAttemptsPerMinute"] = "10000";
        if (createAdmin)
        {
            info.Environment["RATATOUILLE_ADMIN_USER"] = AdminUser;
            info.Environment["RATATOUILLE_ADMIN_PASSWORD"] = AdminPassword;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, baseAddress, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return server;
    }

    /// <summary>An HTTP client signed in as <paramref name="user"/> (the environment's administrator by default).</summary>
    public async Task<HttpClient> CreateClientAsync(string user = AdminUser, string password = AdminPassword, CancellationToken cancellationToken = default)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        var body = System.Text.Json.JsonSerializer.Serialize(new { username = user, password });
        using var login = await client.PostAsync("/api/v1/auth/login", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        if (!login.IsSuccessStatusCode)
        {
            var reason = await login.Content.ReadAsStringAsync(cancellationToken);
            client.Dispose();
            throw new InvalidOperationException($"Sign-in as {user} failed: {reason}");
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut or an OOM kill.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillHard();
        _process.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow answer while starting.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"Server was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
