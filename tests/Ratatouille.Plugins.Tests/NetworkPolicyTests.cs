using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratatouille.Sdk;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Tests;

/// <summary>
/// The network policy of the plugins' HTTP client: which addresses it refuses, and that the real HTTP
/// connector, configured by an editor, cannot be pointed at them — directly, by name or by a redirect.
/// </summary>
public sealed class NetworkPolicyTests
{
    private static string BuiltIns => Path.Combine(RepositoryPaths.Root, "artifacts", "plugins", RepositoryPaths.Configuration);

    [Theory]
    [InlineData("169.254.169.254", false)] // the cloud metadata service
    [InlineData("::ffff:169.254.169.254", false)] // the same, IPv4-mapped
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("100.100.100.200", false)] // Alibaba Cloud metadata, inside 100.64.0.0/10
    [InlineData("168.63.129.16", false)] // Azure's platform endpoint
    [InlineData("64:ff9b::a9fe:a9fe", false)] // 169.254.169.254 through NAT64
    [InlineData("64:ff9b::808:808", true)] // 8.8.8.8 through NAT64
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("93.184.215.14", true)]
    public void Defaults_refuse_link_local_and_allow_loopback_lan_and_internet(string address, bool allowed)
    {
        var policy = new NetworkPolicy(new PluginNetworkOptions());

        Assert.Equal(allowed, policy.IsAllowed(IPAddress.Parse(address), out var reason));
        Assert.Equal(allowed, reason.Length == 0);
    }

    [Fact]
    public void An_administrator_can_close_loopback_and_private_networks_add_ranges_and_make_exceptions()
    {
        var policy = new NetworkPolicy(new PluginNetworkOptions
        {
            AllowLoopback = false,
            AllowPrivateNetworks = false,
            BlockedRanges = ["203.0.113.0/24"],
            AllowedRanges = ["192.168.1.20/32"],
        });

        Assert.False(policy.IsAllowed(IPAddress.Parse("127.0.0.1"), out var loopback));
        Assert.Contains("AllowLoopback", loopback);
        Assert.False(policy.IsAllowed(IPAddress.Parse("::1"), out _));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.0.7"), out var lan));
        Assert.Contains("AllowPrivateNetworks", lan);
        Assert.False(policy.IsAllowed(IPAddress.Parse("fd12::1"), out _));
        Assert.False(policy.IsAllowed(IPAddress.Parse("203.0.113.9"), out var range));
        Assert.Contains("203.0.113.0/24", range);
        Assert.True(policy.IsAllowed(IPAddress.Parse("192.168.1.20"), out _));
        Assert.True(policy.IsAllowed(IPAddress.Parse("93.184.215.14"), out _));
    }

    [Fact]
    public void A_range_that_is_not_CIDR_is_refused_by_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new NetworkPolicy(new PluginNetworkOptions { BlockedRanges = ["10.0.0.0/33", "lan"] }));

        Assert.Contains(error.Failures, f => f.Contains("'10.0.0.0/33'"));
        Assert.Contains(error.Failures, f => f.Contains("'lan'"));
    }

    [Fact]
    public async Task The_HTTP_connector_cannot_reach_refused_addresses_directly_by_name_or_through_a_redirect()
    {
        using var api = LocalApi.Start();
        await using var kernel = await PluginKernel.StartAsync([], new Dictionary<string, string?> { ["Plugins:BuiltInFolder"] = BuiltIns });

        // Allowed by default: a local API.
        await CreateAsync(kernel, "local", api.BaseUrl, "/items");
        var works = await kernel.Connections.TestAsync("local", TestTimeout.Token);
        Assert.True(works.Success, works.Message);

        // The metadata service, as an address: refused before anything is sent, and said so.
        await CreateAsync(kernel, "metadata", "http://169.254.169.254", "/latest/meta-data/");
        var metadata = await kernel.Connections.TestAsync("metadata", TestTimeout.Token);
        Assert.False(metadata.Success);
        Assert.Contains("network policy", metadata.Message);
        Assert.Contains("link-local", metadata.Message);

        // A redirect from an allowed API to it: the connection is refused when it is opened.
        await CreateAsync(kernel, "bounce", api.BaseUrl, "/bounce");
        var bounce = await kernel.Connections.TestAsync("bounce", TestTimeout.Token);
        Assert.False(bounce.Success);
        Assert.Contains("network policy", bounce.Message);
        Assert.Contains("was refused", bounce.Message); // not retried as a network error

        // With loopback closed, the local API is refused by name too.
        await using var closed = await PluginKernel.StartAsync([], new Dictionary<string, string?>
        {
            ["Plugins:BuiltInFolder"] = BuiltIns,
            ["Plugins:Network:AllowLoopback"] = "false",
        });
        await CreateAsync(closed, "local", api.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "/items");
        var refused = await closed.Connections.TestAsync("local", TestTimeout.Token);
        Assert.False(refused.Success);
        Assert.Contains("'localhost'", refused.Message);
        Assert.Contains("AllowLoopback", refused.Message);
        var read = await Assert.ThrowsAsync<PluginOperationException>(() => closed.Connections.DiscoverAsync("local", TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Reported, read.Kind);
    }

    private static async Task CreateAsync(PluginKernel kernel, string name, string baseUrl, string path) =>
        await kernel.Connections.CreateAsync(new ConnectionRequest(name, "http", null, new JsonObject
        {
            ["baseUrl"] = baseUrl,
            ["maxRetries"] = 3,
            ["initialBackoffSeconds"] = 30, // a retried refusal would take minutes: refusals are final
            ["streams"] = new JsonArray(new JsonObject { ["name"] = "items", ["path"] = path }),
        }), PluginKernel.Editor, TestTimeout.Token);

    /// <summary>A minimal JSON API on loopback: /items answers records, /bounce redirects to the metadata service.</summary>
    private sealed class LocalApi : IDisposable
    {
        private readonly HttpListener _listener = new();

        private LocalApi(int port)
        {
            BaseUrl = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(BaseUrl + "/");
        }

        public string BaseUrl { get; }

        public static LocalApi Start()
        {
            var api = new LocalApi(FreePort.Next());
            api._listener.Start();
            _ = api.ServeAsync();
            return api;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var path = context.Request.Url!.AbsolutePath;
                if (path == "/bounce")
                {
                    context.Response.StatusCode = 302;
                    context.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data/";
                }
                else
                {
                    var body = "[{\"id\": 1}, {\"id\": 2}]"u8.ToArray();
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
