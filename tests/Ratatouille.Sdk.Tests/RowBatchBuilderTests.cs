using Apache.Arrow;
using Apache.Arrow.Types;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Sdk.Tests;

public sealed class RowBatchBuilderTests
{
    private static readonly Schema Schema = Columns.Schema(
        Columns.Int64("id", nullable: false),
        Columns.Decimal("amount", 18, 2),
        Columns.String("name"),
        Columns.Boolean("flag"),
        Columns.Date("day"),
        Columns.TimestampUtc("at"),
        Columns.Json("payload"),
        Columns.Uuid("key"),
        Columns.List("tags", StringType.Default),
        Columns.Binary("bytes"));

    [Fact]
    public void Builds_typed_columns_from_rows_with_nulls()
    {
        var builder = new RowBatchBuilder(Schema, capacity: 2);
        var key = Guid.NewGuid();
        builder.Add(1, 12.34m, "one", true, new DateOnly(2024, 5, 1), new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2)), new { a = 1 }, key, new[] { "x", null }, new byte[] { 1, 2 });
        builder.Add("2", null, null, null, null, null, null, null, null, null);
        Assert.True(builder.IsFull);
        using var batch = builder.Build();
        Assert.Equal(0, builder.Count);
        Assert.Equal(2, batch.Length);

        var rows = ArrowValues.Rows(batch).ToList();
        Assert.Equal(1L, rows[0]["id"]);
        Assert.Equal(12.34m, rows[0]["amount"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero), rows[0]["at"]);
        Assert.Equal("""{"a":1}""", rows[0]["payload"]);
        Assert.Equal(key.ToString("D"), rows[0]["key"]);
        Assert.Equal(["x", null], (List<object?>)rows[0]["tags"]!);
        Assert.Equal(2L, rows[1]["id"]);
        Assert.All(rows[1].Where(p => p.Key != "id"), p => Assert.Null(p.Value));
        Assert.Equal("json", Columns.LogicalType(batch.Schema.GetFieldByName("payload")));
    }

    [Fact]
    public void Reads_decimals_beyond_the_range_of_System_Decimal_as_exact_text()
    {
        var type = new Decimal128Type(38, 0);
        var builder = new Decimal128Array.Builder(type);
        builder.Append(System.Data.SqlTypes.SqlDecimal.Parse("12345678901234567890123456789012345678"));
        builder.Append(42m);
        var array = builder.Build();
        Assert.Equal("12345678901234567890123456789012345678", ArrowValues.Get(array, 0));
        Assert.Equal(42m, ArrowValues.Get(array, 1));
    }

    [Fact]
    public void Refuses_bad_rows_with_the_column_named_and_keeps_the_batch_consistent()
    {
        var builder = new RowBatchBuilder(Schema);
        builder.Add(1, 1m, "ok", false, null, null, null, null, null, null);
        var wrong = Assert.Throws<ArgumentException>(() => builder.Add(2, "not money", "x", false, null, null, null, null, null, null));
        Assert.Contains("'amount'", wrong.Message);
        var missing = Assert.Throws<ArgumentException>(() => builder.Add(null, 1m, "x", false, null, null, null, null, null, null));
        Assert.Contains("'id'", missing.Message);
        Assert.Throws<ArgumentException>(() => builder.Add(1, 2));

        using var batch = builder.Build();
        Assert.Equal(1, batch.Length);
        Assert.All(Enumerable.Range(0, batch.ColumnCount), i => Assert.Equal(1, batch.Column(i).Length));
    }
}
