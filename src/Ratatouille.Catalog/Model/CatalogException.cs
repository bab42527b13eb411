namespace Ratatouille.Catalog.Model;

/// <summary>A catalog operation refused for a reason the user can act on.</summary>
public sealed class CatalogException : Exception
{
    public CatalogException(CatalogError error, string message)
        : base(message)
    {
        Error = error;
    }

    public CatalogException()
    {
    }

    public CatalogException(string message)
        : base(message)
    {
    }

    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CatalogError Error { get; }
}
