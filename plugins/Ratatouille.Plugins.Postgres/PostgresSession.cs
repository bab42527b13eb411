using Npgsql;
using NpgsqlTypes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>
/// One connection for one operation (check, discovery or read), set up the same way every time:
/// read-only, UTC, ISO 8601 text forms.
/// </summary>
/// <remarks>
/// Connections are not pooled: the host may unload the plugin at any time and a connector keeps no state
/// between calls, so an operation opens its connection and closes it. A check, discovery or read is long
/// compared with a connection set-up.
/// </remarks>
internal sealed class PostgresSession : IAsyncDisposable
{
    /// <summary>The custom setting that carries a saved cursor value into the COPY (COPY takes no parameters).</summary>
    public const string CursorSetting = "ratatouille.cursor";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresOptions _options;

    private PostgresSession(NpgsqlDataSource dataSource, NpgsqlConnection connection, PostgresOptions options)
    {
        _dataSource = dataSource;
        Connection = connection;
        _options = options;
    }

    public NpgsqlConnection Connection { get; }

    public static NpgsqlConnectionStringBuilder ConnectionString(PostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
            Port = options.Port,
            Database = options.Database,
            Username = options.Username,
            SslMode = options.SslMode switch
            {
                PostgresSslMode.Disable => SslMode.Disable,
                PostgresSslMode.Require => SslMode.Require,
                PostgresSslMode.VerifyFull => SslMode.VerifyFull,
                _ => SslMode.Prefer,
            },
            Timeout = options.ConnectTimeoutSeconds,
            CommandTimeout = options.CommandTimeoutSeconds,
            ApplicationName = "Ratatouille",
            Pooling = false,

            // Binary COPY reads whole rows at a time; a larger buffer means fewer socket reads per batch.
            ReadBufferSize = 64 * 1024,
        };
    }

    /// <summary>Connects and prepares the session.</summary>
    /// <exception cref="PluginException">The server cannot be reached, refuses the credentials, or the database does not exist.</exception>
    public static async Task<PostgresSession> OpenAsync(PostgresOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        NpgsqlDataSource? dataSource = null;
        NpgsqlConnection? connection = null;
        try
        {
            // The password comes from a provider, never through the connection string: that keeps it out of any
            // connection string, and a provider that answers "" (no password configured) stops Npgsql from falling
            // back to the server machine's PGPASSWORD and ~/.pgpass, which belong to whoever runs the platform.
            var builder = new NpgsqlDataSourceBuilder(ConnectionString(options).ConnectionString);
            var password = options.Password ?? "";
            builder.UsePasswordProvider(_ => password, (_, _) => ValueTask.FromResult(password));

            // Only built-in types are ever read in binary (everything else is cast to text) and PgTypes reads pg_type
            // itself, so Npgsql's own catalog load would cost every operation a round trip for nothing (~30-70 ms here).
            builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
            dataSource = builder.Build();
            connection = await dataSource.OpenConnectionAsync(cancellationToken);

            // Read-only, so a custom query cannot write; UTC and ISO styles, so values cast to text (time,
            // interval, timestamps inside other types) read the same whatever the server's defaults are.
            await using var setup = new NpgsqlCommand(
                """
                SELECT pg_catalog.set_config('default_transaction_read_only', 'on', false),
                       pg_catalog.set_config('TimeZone', 'UTC', false),
                       pg_catalog.set_config('DateStyle', 'ISO, YMD', false),
                       pg_catalog.set_config('IntervalStyle', 'iso_8601', false),
                       pg_catalog.set_config('extra_float_digits', '3', false)
                """,
                connection);
            await setup.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresSession(dataSource, connection, options);
        }
        catch (Exception ex) when (PostgresErrors.IsReportable(ex))
        {
            await CloseAsync(dataSource, connection);
            throw PostgresErrors.ToPluginException(ex, options, $"Cannot connect to {options.Host}:{options.Port}/{options.Database}");
        }
        catch
        {
            await CloseAsync(dataSource, connection);
            throw;
        }
    }

    /// <summary>
    /// Puts a saved cursor value where the COPY reads it (<c>current_setting('ratatouille.cursor')</c>), checking
    /// that it converts to the cursor column's type.
    /// </summary>
    public async Task SetCursorAsync(string value, PgColumn cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            // cursor.CursorType is a built-in type name written by the server (format_type), not user input.
            await using var command = new NpgsqlCommand($"SELECT pg_catalog.set_config('{CursorSetting}', @value, false)::{cursor.CursorType}", Connection);
            command.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Text) { Value = value });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            throw new PluginException($"The saved cursor value '{value}' is not a valid {cursor.CursorType} for the cursor '{cursor.FieldName}' ({ex.MessageText}); run a full refresh to start over.", ex);
        }
        catch (Exception ex) when (PostgresErrors.IsReportable(ex))
        {
            throw PostgresErrors.ToPluginException(ex, _options, "Cannot set the cursor");
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(_dataSource, Connection);

    private static async ValueTask CloseAsync(NpgsqlDataSource? dataSource, NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
    }
}
