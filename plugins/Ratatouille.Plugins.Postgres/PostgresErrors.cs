using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>
/// Turns driver and server errors into sentences for the user: what failed and what to do, never a
/// stack trace, never the password.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>Whether <paramref name="exception"/> is a failure to report (as opposed to a bug or a cancellation).</summary>
    public static bool IsReportable(Exception exception) =>
        exception is NpgsqlException or TimeoutException or InvalidCastException or FormatException or OverflowException
            or AuthenticationException or SocketException or ArgumentException
        && exception is not OperationCanceledException;

    /// <summary>Why connecting, or a catalog query, failed.</summary>
    public static string Describe(Exception exception, PostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = $"{options.Host}:{options.Port}";
        var message = exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } =>
                $"Authentication failed for user '{options.Username}': the password is wrong (or the server asks for one and none is configured).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } e =>
                $"The server at {endpoint} refused user '{options.Username}': {e.MessageText} (check the user name, and pg_hba.conf on the server).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"Database '{options.Database}' does not exist on {endpoint}.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } e =>
                $"Permission denied: {e.MessageText}.",
            PostgresException { SqlState: PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow } e =>
                $"The server at {endpoint} does not accept connections now: {e.MessageText}.",
            PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } =>
                $"The server cancelled the statement (statement_timeout, or an administrator).",
            PostgresException e => $"PostgreSQL error {e.SqlState}: {e.MessageText}{(e.Detail is { Length: > 0 } detail ? " (" + detail + ")" : "")}.",
            _ when Find<SocketException>(exception) is { } socket =>
                $"Cannot reach {endpoint}: {socket.Message} (check the host, the port and any firewall).",
            _ when Find<TimeoutException>(exception) is not null =>
                $"{endpoint} did not answer in time (connect timeout {options.ConnectTimeoutSeconds} s, command timeout {options.CommandTimeoutSeconds} s).",
            _ when Find<AuthenticationException>(exception) is { } tls =>
                $"The TLS handshake with {endpoint} failed ({tls.Message}); with sslMode verifyFull the server's certificate must be trusted and name '{options.Host}'.",
            NpgsqlException e when string.IsNullOrEmpty(options.Password) && e.Message.Contains("No password has been provided", StringComparison.Ordinal) =>
                $"The server asks user '{options.Username}' for a password and none is configured.",
            NpgsqlException e => $"Cannot use {endpoint}: {e.Message}",
            _ => exception.Message,
        };
        return Scrub(message, options.Password);
    }

    /// <summary>A <see cref="PluginException"/> saying what failed while <paramref name="doing"/>.</summary>
    public static PluginException ToPluginException(Exception exception, PostgresOptions options, string doing) =>
        new($"{doing}: {Describe(exception, options)}", exception);

    /// <summary>Removes the password from text that might echo it (a server message quoting a connection string, say).</summary>
    public static string Scrub(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "********", StringComparison.Ordinal);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
