namespace Ratatouille.Catalog.Model;

/// <summary>The medallion layers a dataset lives in.</summary>
public enum Layer
{
    Bronze,
    Silver,
    Gold,
}
