using Ratatouille.Catalog.Model;

namespace Ratatouille.Catalog.Tests;

public sealed class SchemaEvolutionTests
{
    private static readonly ColumnSchema[] Existing = [new("id", "INTEGER"), new("name", "VARCHAR"), new("price", "DECIMAL(10,2)")];

    [Fact]
    public void MergeForAppend_NewColumn_IsAddedAtTheEnd()
    {
        var merged = SchemaEvolution.MergeForAppend(Existing, [new("id", "INTEGER"), new("country", "VARCHAR")]);

        Assert.Equal(["id", "name", "price", "country"], merged.Select(c => c.Name).ToArray());
    }

    [Theory]
    [InlineData("id", "BIGINT", "BIGINT")]
    [InlineData("id", "DOUBLE", "DOUBLE")]
    [InlineData("id", "SMALLINT", "INTEGER")]
    [InlineData("price", "DECIMAL(12,3)", "DECIMAL(12,3)")]
    [InlineData("price", "SMALLINT", "DECIMAL(10,2)")]
    [InlineData("price", "DECIMAL(4,1)", "DECIMAL(10,2)")]
    [InlineData("name", "BIGINT", "VARCHAR")]
    public void MergeForAppend_CompatibleType_WidensOrKeeps(string column, string incoming, string expected)
    {
        var merged = SchemaEvolution.MergeForAppend(Existing, [new(column, incoming)]);

        Assert.Equal(expected, merged.Single(c => c.Name == column).Type);
    }

    [Theory]
    [InlineData("id", "VARCHAR")]
    [InlineData("id", "DATE")]
    [InlineData("price", "DECIMAL(20,0)")]
    [InlineData("price", "INTEGER")]
    public void MergeForAppend_IncompatibleType_FailsWithColumnAndTypes(string column, string incoming)
    {
        var ex = Assert.Throws<CatalogException>(() => SchemaEvolution.MergeForAppend(Existing, [new(column, incoming)]));

        Assert.Equal(CatalogError.SchemaConflict, ex.Error);
        Assert.Contains($"column '{column}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(incoming, ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TINYINT", "HUGEINT", true)]
    [InlineData("UINTEGER", "BIGINT", true)]
    [InlineData("UBIGINT", "BIGINT", false)]
    [InlineData("DATE", "TIMESTAMP", true)]
    [InlineData("TIMESTAMP", "DATE", false)]
    [InlineData("FLOAT", "DOUBLE", true)]
    [InlineData("DOUBLE", "FLOAT", false)]
    [InlineData("BIGINT", "DECIMAL(18,0)", false)]
    [InlineData("BIGINT", "DECIMAL(19,0)", true)]
    public void CanWiden_FollowsTheLattice(string from, string to, bool expected)
    {
        Assert.Equal(expected, SchemaEvolution.CanWiden(from, to));
    }
}
