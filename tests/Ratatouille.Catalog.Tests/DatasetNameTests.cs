using Ratatouille.Catalog.Model;

namespace Ratatouille.Catalog.Tests;

public sealed class DatasetNameTests
{
    [Theory]
    [InlineData("bronze.orders", "bronze", "orders")]
    [InlineData("gold.kpi_2024", "gold", "kpi_2024")]
    public void Parse_ValidName_SplitsLayerAndName(string text, string layer, string name)
    {
        var parsed = DatasetName.Parse(text);

        Assert.Equal(layer, parsed.LayerName);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("platinum", "x", "Unknown layer")]
    [InlineData("bronze", "Orders", "Invalid dataset name")]
    [InlineData("bronze", "1abc", "Invalid dataset name")]
    [InlineData("bronze", "a;drop", "Invalid dataset name")]
    [InlineData("bronze", "a\"b", "Invalid dataset name")]
    [InlineData("bronze", "", "Invalid dataset name")]
    public void Create_InvalidParts_ExplainsWhy(string layer, string name, string message)
    {
        var ex = Assert.Throws<CatalogException>(() => DatasetName.Create(layer, name));

        Assert.Equal(CatalogError.InvalidName, ex.Error);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
