using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ratatouille.Catalog.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MetadataDbContext>
{
    public MetadataDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MetadataDbContext>().UseSqlite("Data Source=design.db").Options);
}
