using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins;

/// <summary>Configuration section <c>Plugins:Network</c>: where the HTTP client plugins get may connect.</summary>
public sealed class PluginNetworkOptions
{
    /// <summary>
    /// Refuse link-local addresses (169.254.0.0/16, fe80::/10) and the other cloud metadata addresses
    /// (fd00:ec2::254, Alibaba's 100.100.100.200, Azure's 168.63.129.16): instance metadata services live
    /// there and hand out the machine's credentials. On by default.
    /// </summary>
    public bool BlockLinkLocal { get; set; } = true;

    /// <summary>Allow loopback addresses (127.0.0.0/8, ::1): services on the server's own machine. On by default.</summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>
    /// Allow private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the LAN a self-hosted
    /// platform usually reads from. On by default.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; } = true;

    /// <summary>Further ranges (CIDR, e.g. <c>10.20.0.0/16</c>) refused.</summary>
    public List<string> BlockedRanges { get; set; } = [];

    /// <summary>Ranges (CIDR) allowed even when a rule above refuses them, e.g. one LAN host while private networks are refused.</summary>
    public List<string> AllowedRanges { get; set; } = [];
}

/// <summary>
/// Decides which addresses the plugins' HTTP client may connect to, and enforces it twice: before a
/// request is sent (the host's addresses are resolved and checked, and a refusal is a
/// <see cref="PluginException"/> the user sees as is) and when the connection is opened (the socket
/// connects only to an address that passed, so a redirect or a DNS answer that changed in between
/// cannot lead elsewhere). Connection options are written by editors; this keeps them from turning a
/// connector into a way to read the cloud metadata service or other places an administrator closed.
/// </summary>
public sealed class NetworkPolicy
{
    private static readonly IPNetwork[] LinkLocal =
    [
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fd00:ec2::254/128"), IPNetwork.Parse("100.100.100.200/32"), IPNetwork.Parse("168.63.129.16/32"),
    ];
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    private static readonly IPNetwork[] Private =
        [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fc00::/7")];
    private static readonly IPNetwork[] Unspecified = [IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("::/128")];

    private readonly PluginNetworkOptions _options;
    private readonly IPNetwork[] _blocked;
    private readonly IPNetwork[] _allowed;

    public NetworkPolicy(IOptions<PluginOptions> options)
        : this(options.Value.Network)
    {
    }

    public NetworkPolicy(PluginNetworkOptions options)
    {
        _options = options;
        _blocked = ParseRanges(options.BlockedRanges, out var blockedErrors);
        _allowed = ParseRanges(options.AllowedRanges, out var allowedErrors);
        if (blockedErrors.Count + allowedErrors.Count > 0)
        {
            throw new OptionsValidationException(PluginOptions.Section, typeof(PluginOptions), [.. blockedErrors, .. allowedErrors]);
        }
    }

    /// <summary>Whether plugins may connect to <paramref name="address"/>; if not, <paramref name="reason"/> says which rule refuses it.</summary>
    public bool IsAllowed(IPAddress address, out string reason)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4(); // ::ffff:169.254.169.254 is 169.254.169.254
        }
        else if (Nat64.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]); // 64:ff9b::a9fe:a9fe reaches 169.254.169.254 through NAT64
        }

        reason = "";
        if (_allowed.Any(r => r.Contains(address)))
        {
            return true;
        }

        var blocked = Array.FindIndex(_blocked, r => r.Contains(address));
        reason = address switch
        {
            _ when Unspecified.Any(r => r.Contains(address)) => "an unspecified address",
            _ when _options.BlockLinkLocal && LinkLocal.Any(r => r.Contains(address)) => "a link-local or cloud metadata address (Plugins:Network:BlockLinkLocal)",
            _ when !_options.AllowLoopback && Loopback.Any(r => r.Contains(address)) => "a loopback address (Plugins:Network:AllowLoopback is off)",
            _ when !_options.AllowPrivateNetworks && Private.Any(r => r.Contains(address)) => "a private network address (Plugins:Network:AllowPrivateNetworks is off)",
            _ when blocked >= 0 => $"in a blocked range ({_blocked[blocked]}, Plugins:Network:BlockedRanges)",
            _ => "",
        };
        return reason.Length == 0;
    }

    /// <summary>The addresses of <paramref name="host"/> plugins may connect to.</summary>
    /// <exception cref="PluginException">Every address of the host is refused (the message says why and what the administrator can change).</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (ArgumentException)
        {
            throw new PluginException($"'{(host.Length > 80 ? host[..80] + "…" : host)}' is not a valid host name.");
        }

        var allowed = new List<IPAddress>(addresses.Length);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (IsAllowed(address, out var reason))
            {
                allowed.Add(address);
            }
            else
            {
                refusal ??= $"{address} is {reason}";
            }
        }

        if (allowed.Count == 0)
        {
            throw new PluginException(refusal is null
                ? $"'{host}' has no address."
                : $"Connections to '{host}' are refused by this server's network policy: {refusal}. An administrator can change Plugins:Network.");
        }

        return [.. allowed];
    }

    /// <summary>The handler of the plugins' HTTP client: checks before sending, connects only to allowed addresses, no proxy.</summary>
    public HttpMessageHandler CreateHandler() => new CheckingHandler(this)
    {
        InnerHandler = new SocketsHttpHandler
        {
            // A proxy would connect for us, out of the policy's sight.
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        },
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        }
        catch (PluginException ex)
        {
            // Reached here after a redirect (the handler checked the first host only) or a changed DNS answer.
            // The refusal travels inside, so a client can tell it from a network error worth retrying.
            throw new HttpRequestException(HttpRequestError.ConnectionError, ex.Message, ex);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPNetwork[] ParseRanges(IEnumerable<string> ranges, out List<string> errors)
    {
        errors = [];
        var parsed = new List<IPNetwork>();
        foreach (var range in ranges)
        {
            if (IPNetwork.TryParse(range.Trim(), out var network))
            {
                parsed.Add(network);
            }
            else
            {
                errors.Add($"Plugins:Network: '{range}' is not an address range; write it in CIDR form, e.g. 10.20.0.0/16 or fd00::/8.");
            }
        }

        return [.. parsed];
    }

    private sealed class CheckingHandler(NetworkPolicy policy) : DelegatingHandler
    {
        // Hosts that passed recently: a paginated read sends hundreds of requests to one host, and the
        // connection itself is checked again at connect time anyway.
        private static readonly TimeSpan PassedFor = TimeSpan.FromSeconds(30);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _passed = new(StringComparer.OrdinalIgnoreCase);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // HTTP/3 (QUIC) connections are opened without the connect callback: keep to HTTP/2 and below.
            if (request.Version >= HttpVersion.Version30)
            {
                request.Version = HttpVersion.Version20;
            }

            if (request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher)
            {
                request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            }

            if (request.RequestUri is { IsAbsoluteUri: true } uri
                && !(_passed.TryGetValue(uri.IdnHost, out var until) && until > DateTime.UtcNow))
            {
                try
                {
                    await policy.ResolveAsync(uri.IdnHost, cancellationToken);
                    _passed[uri.IdnHost] = DateTime.UtcNow + PassedFor;
                }
                catch (SocketException ex)
                {
                    throw new HttpRequestException(HttpRequestError.NameResolutionError, $"'{uri.IdnHost}' cannot be resolved: {ex.Message}", ex);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
