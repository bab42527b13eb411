namespace Ratatouille.Catalog.Model;

/// <summary>How a write combines with the dataset's current snapshot.</summary>
public enum WriteMode
{
    /// <summary>New files are added to the current ones; the schema may evolve.</summary>
    Append,

    /// <summary>New files replace the current ones, schema included.</summary>
    Replace,
}
