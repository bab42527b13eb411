using System.Text.Json.Nodes;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Postgres.Tests;

/// <summary>
/// A private PostgreSQL cluster with a database <c>app</c>: a realistic <c>shop</c> schema, a <c>types</c> table with
/// every mapped type, a million-row <c>big.events</c>, and two login roles — <c>reader</c> (pg_read_all_data) and
/// <c>outsider</c> (no grants). Tests that change data create schemas of their own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string Database = "app";
    public const string Reader = "reader";
    public const string ReaderPassword = "Reader-Secret-42";
    public const string Outsider = "outsider";
    public const string OutsiderPassword = "Outsider-Secret-42";
    public const int BigRows = 1_000_000;

    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(TestTimeout.Token);
        await Server.RunSqlAsync(
            $"""
            CREATE ROLE {Reader} LOGIN PASSWORD '{ReaderPassword}';
            GRANT pg_read_all_data TO {Reader};
            CREATE ROLE {Outsider} LOGIN PASSWORD '{OutsiderPassword}';
            CREATE DATABASE {Database};
            """);
        await Server.RunSqlAsync(ShopSql + TypesSql + BigSql, Database);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Options as the reader role, over TCP with its password.</summary>
    public PostgresOptions Options(params string[] schemas) => new()
    {
        Host = PostgresServer.Host,
        Port = Server.Port,
        Database = Database,
        Username = Reader,
        Password = ReaderPassword,
        SslMode = PostgresSslMode.Disable,
        Schemas = schemas.Length > 0 ? schemas : null,
    };

    /// <summary>The JSON configuration a user would send for the reader role.</summary>
    public JsonObject Config(params string[] schemas) => new()
    {
        ["host"] = PostgresServer.Host,
        ["port"] = Server.Port,
        ["database"] = Database,
        ["username"] = Reader,
        ["password"] = ReaderPassword,
        ["sslMode"] = "prefer",
        ["schemas"] = new JsonArray(schemas.Select(s => (JsonNode?)s).ToArray()),
    };

    public Task<string> SqlAsync(string sql) => Server.RunSqlAsync(sql, Database, TestTimeout.Token);

    public Task<string> ScalarAsync(string sql) => Server.ScalarAsync(sql, Database, TestTimeout.Token);

    /// <summary>A fresh schema for one test (dropped first if a previous run left it).</summary>
    public async Task<string> NewSchemaAsync(string name, string ddl)
    {
        await SqlAsync($"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}; SET search_path = {name}; {ddl}");
        return name;
    }

    /// <summary>Reads a stream straight from the connector, keeping the batches (the caller disposes them).</summary>
    public static async Task<List<Apache.Arrow.RecordBatch>> ReadBatchesAsync(PostgresOptions options, ReadRequest request, CancellationToken cancellationToken = default)
    {
        var batches = new List<Apache.Arrow.RecordBatch>();
        await foreach (var batch in new PostgresConnector().ReadAsync(options, request, new TestPluginContext("postgres"), cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    private const string ShopSql =
        """
        CREATE SCHEMA shop;
        COMMENT ON SCHEMA shop IS 'A small web shop';
        CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
        CREATE TABLE shop.customers (
            id serial PRIMARY KEY,
            name text NOT NULL,
            email varchar(200) UNIQUE,
            country char(2),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        COMMENT ON TABLE shop.customers IS 'People who bought something';
        CREATE TABLE shop.products (
            sku text PRIMARY KEY,
            title text NOT NULL,
            price numeric(10,2) NOT NULL,
            weight_kg real,
            tags text[],
            attributes jsonb,
            active boolean NOT NULL DEFAULT true);
        CREATE TABLE shop.orders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id int NOT NULL REFERENCES shop.customers,
            status shop.order_status NOT NULL,
            total numeric(12,2) NOT NULL,
            ordered_at timestamp NOT NULL,
            ship_by date,
            note text);
        CREATE TABLE shop.order_lines (
            order_id bigint REFERENCES shop.orders,
            line_no smallint,
            sku text NOT NULL REFERENCES shop.products,
            quantity int NOT NULL,
            unit_price numeric(10,2) NOT NULL,
            PRIMARY KEY (order_id, line_no));

        INSERT INTO shop.customers (name, email, country, created_at, updated_at)
        SELECT 'Customer ' || g, 'c' || g || '@example.com', (ARRAY['FR','DE','IT',NULL])[1 + g % 4],
               timestamptz '2024-01-01 00:00:00+00' + g * interval '1 day',
               timestamptz '2024-06-01 00:00:00+00' + g * interval '1 hour'
        FROM generate_series(1, 50) g;
        INSERT INTO shop.products (sku, title, price, weight_kg, tags, attributes, active)
        SELECT 'SKU-' || g, 'Product ' || g, 9.99 + g, g * 0.25, ARRAY['tag' || g % 3, 'all'],
               jsonb_build_object('color', (ARRAY['red','blue'])[1 + g % 2], 'size', g), g % 5 <> 0
        FROM generate_series(1, 20) g;
        INSERT INTO shop.orders (customer_id, status, total, ordered_at, ship_by, note)
        SELECT 1 + g % 50, (ARRAY['new','paid','shipped','cancelled']::shop.order_status[])[1 + g % 4], 0,
               timestamp '2024-03-01 08:00' + g * interval '90 minutes',
               CASE WHEN g % 3 = 0 THEN NULL ELSE date '2024-03-05' + g / 16 END,
               CASE WHEN g % 7 = 0 THEN 'gift wrap' END
        FROM generate_series(1, 200) g;
        INSERT INTO shop.order_lines (order_id, line_no, sku, quantity, unit_price)
        SELECT o.id, l, 'SKU-' || (1 + (o.id * l) % 20), 1 + (o.id + l) % 3, 9.99 + (1 + (o.id * l) % 20)
        FROM shop.orders o, generate_series(1, 3) l;
        UPDATE shop.orders o SET total = s.total FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM shop.order_lines GROUP BY 1) s WHERE s.order_id = o.id;

        CREATE VIEW shop.order_totals AS
            SELECT o.id AS order_id, c.name AS customer, o.status, sum(l.quantity * l.unit_price) AS lines_total
            FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id JOIN shop.order_lines l ON l.order_id = o.id
            GROUP BY o.id, c.name, o.status;
        CREATE MATERIALIZED VIEW shop.daily_sales AS
            SELECT ordered_at::date AS day, count(*) AS orders, sum(total)::numeric(14,2) AS revenue
            FROM shop.orders GROUP BY 1;
        ANALYZE;

        """;

    private const string TypesSql =
        """
        CREATE SCHEMA types;
        CREATE TYPE types.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN types.positive_int AS integer CHECK (VALUE > 0);
        CREATE DOMAIN types.money2 AS numeric(10,2);
        CREATE TABLE types.all_types (
            id int PRIMARY KEY,
            c_smallint smallint, c_int integer, c_bigint bigint, c_real real, c_double double precision,
            c_numeric numeric(38,10), c_money numeric(10,2), c_numeric_any numeric, c_numeric_huge numeric(50,5),
            c_text text, c_varchar varchar(20), c_char char(5), c_bool boolean,
            c_date date, c_timestamp timestamp, c_timestamptz timestamptz, c_time time, c_timetz timetz, c_interval interval,
            c_json json, c_jsonb jsonb, c_uuid uuid, c_bytea bytea,
            c_int_array int[], c_text_array text[], c_numeric_array numeric(10,2)[], c_tstz_array timestamptz[], c_date_array date[], c_uuid_array uuid[],
            c_enum types.mood, c_domain types.positive_int, c_domain_numeric types.money2, c_inet inet, c_point point,
            c_required text NOT NULL DEFAULT 'x');
        INSERT INTO types.all_types VALUES (
            1, 12345, -2000000000, 9000000000000000001, 1.5, 3.141592653589793,
            1234567890123456789012345678.0123456789, 12345678.90, 123456789012345678901234567890.123456789, 12345678901234567890123456789012345678901234.56789,
            'héllo wörld ✓', 'varchar', 'ab', true,
            '2024-02-29', '2024-05-01 12:34:56.789012', '2024-05-01 12:34:56.789012+02', '13:45:10.5', '13:45:10+02', '1 year 2 mons 3 days 04:05:06.5',
            '{"b": 1, "a": [1,2]}', '{"b": 1, "a": [1,2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\xdeadbeef00',
            '{1,NULL,3}', '{"a","b c",NULL,"ü"}', '{1.50,NULL,-2.25}', '{"2024-01-01 00:00:00+00",NULL}', '{2024-01-31}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
            'happy', 42, 12.34, '192.168.0.1/24', '(1,2)',
            'required');
        INSERT INTO types.all_types (id) VALUES (2);
        INSERT INTO types.all_types (id, c_smallint, c_bigint, c_real, c_double, c_numeric, c_money, c_domain_numeric, c_text, c_date, c_timestamp, c_timestamptz, c_int_array, c_text_array, c_bool)
        VALUES (3, -32768, -9223372036854775808, 'NaN', '-Infinity', -0.0000000001, -0.05, 0, '', 'infinity', '-infinity', 'infinity', '{}', '{}', false);

        """;

    private const string BigSql =
        """
        CREATE SCHEMA big;
        CREATE UNLOGGED TABLE big.events AS
            SELECT g::bigint AS id, (g % 1000)::int AS k, ((g % 10000) / 100.0)::numeric(12,2) AS amount,
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' AS created_at, 'event-' || g AS label
            FROM generate_series(1, 1000000) g;
        ANALYZE big.events;
        """;
}
