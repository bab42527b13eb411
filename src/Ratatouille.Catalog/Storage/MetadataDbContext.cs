using Microsoft.EntityFrameworkCore;

namespace Ratatouille.Catalog.Storage;

/// <summary>The metadata store: catalog tables now, more services' tables later. Schema changes ship as EF migrations.</summary>
public sealed class MetadataDbContext(DbContextOptions<MetadataDbContext> options) : DbContext(options)
{
    public DbSet<DatasetRow> Datasets => Set<DatasetRow>();

    public DbSet<SnapshotRow> Snapshots => Set<SnapshotRow>();

    public DbSet<DataFileRow> DataFiles => Set<DataFileRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DatasetRow>(e =>
        {
            e.ToTable("datasets");
            e.HasKey(d => d.Id);
            e.Property(d => d.Layer).HasMaxLength(16).IsRequired();
            e.Property(d => d.Name).HasMaxLength(64).IsRequired();
            e.HasIndex(d => new { d.Layer, d.Name }).IsUnique();
            e.Property(d => d.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<SnapshotRow>(e =>
        {
            e.ToTable("snapshots");
            e.HasKey(s => s.Id);
            e.Property(s => s.Operation).HasMaxLength(32).IsRequired();
            e.Property(s => s.Origin).HasMaxLength(1024).IsRequired();
            e.HasIndex(s => new { s.DatasetId, s.Id });
            e.HasOne<DatasetRow>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DataFileRow>(e =>
        {
            e.ToTable("data_files");
            e.HasKey(f => f.Id);
            e.Property(f => f.Key).HasMaxLength(1024).IsRequired();
            e.HasIndex(f => new { f.DatasetId, f.BeginSnapshotId, f.EndSnapshotId });
            e.HasIndex(f => f.Key);
            e.HasOne<DatasetRow>().WithMany().HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
