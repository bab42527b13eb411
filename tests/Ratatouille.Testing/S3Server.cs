using System.Diagnostics;

namespace Ratatouille.Testing;

/// <summary>
/// A real S3 server process for tests: s3rver (installed by ./test.sh, namespace-patched so the
/// Minio SDK can list) on a free port with a bucket. Compose uses real MinIO.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string Key = "S3RVER";
    private readonly Process _process;

    private S3Server(Process process, Uri endpoint, string bucket, string directory)
    {
        _process = process;
        Endpoint = endpoint;
        Bucket = bucket;
        Directory = directory;
    }

    public Uri Endpoint { get; }

    public string Bucket { get; }

    public string Directory { get; }

    public static async Task<S3Server> StartAsync(string bucket = "ratatouille")
    {
        var script = RepositoryPaths.Tool("s3rver", "bin", "s3rver.js");
        var directory = RepositoryPaths.NewTempFolder("s3");
        var port = FreePort.Next();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", bucket, "--silent" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start s3rver.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3Server(process, new Uri($"http://127.0.0.1:{port}"), bucket, directory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with {process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync(server.Endpoint);
                return server;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        await server.DisposeAsync();
        throw new TimeoutException("s3rver did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
