namespace Ratatouille.Plugins.Sqlite.Tests;

/// <summary>A small shop database: two tables, a view, SQLite's own sqlite_sequence.</summary>
internal static class Shop
{
    public const string Schema = """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email VARCHAR(200), created_at DATETIME);
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            total DECIMAL(10,2),
            paid BOOLEAN,
            placed_on DATE,
            updated_at TIMESTAMP,
            note,
            payload BLOB,
            weight REAL,
            status NUMERIC
        );
        CREATE VIEW big_orders AS SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 50;
        INSERT INTO customers VALUES (1, 'Ana', 'ana@example.com', '2024-01-05 09:00:00'), (2, 'Ben', NULL, '2024-02-11 17:30:00.250'), (3, 'Caro', 'caro@example.com', NULL);
        INSERT INTO orders (customer_id, total, paid, placed_on, updated_at, note, payload, weight, status) VALUES
            (1, 19.99, 1, '2024-05-01', '2024-05-01 10:00:00', 'first', x'00FF', 1.5, 1),
            (1, 120, 0, '2024-05-02', '2024-05-02T11:30:00', 7, NULL, 2, 2.5),
            (2, 75.5, 'true', '2024-05-03', '2024-05-03 12:00', NULL, x'', NULL, NULL);
        """;

    public static string Create(SqliteFixture fixture, string name = "shop.db") => SqliteFixture.Create(Path.Combine(fixture.Root, name), Schema);
}
