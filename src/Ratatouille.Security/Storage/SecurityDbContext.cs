using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ratatouille.Security.Storage;

/// <summary>Users, API keys, secrets and the audit log, in the metadata database with their own migration history.</summary>
public sealed class SecurityDbContext(DbContextOptions<SecurityDbContext> options) : DbContext(options)
{
    public const string HistoryTable = "__security_migrations";

    public DbSet<UserRow> Users => Set<UserRow>();

    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();

    public DbSet<SecretRow> Secrets => Set<SecretRow>();

    public DbSet<AuditRow> Audit => Set<AuditRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Username).HasMaxLength(64).UseCollation("NOCASE");
            e.HasIndex(u => u.Username).IsUnique();
            e.Property(u => u.Role).HasMaxLength(16);
            e.Property(u => u.SecurityStamp).IsConcurrencyToken();
        });
        modelBuilder.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(32);
            e.Property(k => k.Hash).HasMaxLength(64);
            e.HasIndex(k => k.Hash).IsUnique();
            e.Property(k => k.Name).HasMaxLength(128);
            e.Property(k => k.Prefix).HasMaxLength(16);
            e.Property(k => k.Role).HasMaxLength(16);
            e.Property(k => k.Scopes).HasMaxLength(256);
            e.Property(k => k.CreatedBy).HasMaxLength(64);
        });
        modelBuilder.Entity<SecretRow>(e =>
        {
            e.ToTable("secrets");
            e.HasKey(s => s.Name);
            e.Property(s => s.Name).HasMaxLength(128);
            e.Property(s => s.UpdatedBy).HasMaxLength(64);
        });
        modelBuilder.Entity<AuditRow>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(a => a.Id);
            e.HasIndex(a => a.At);
            e.Property(a => a.Actor).HasMaxLength(64);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(256);
            e.Property(a => a.Detail).HasMaxLength(2048);
            e.Property(a => a.RemoteAddress).HasMaxLength(64);
        });
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the server.</summary>
public sealed class SecurityDesignTimeFactory : IDesignTimeDbContextFactory<SecurityDbContext>
{
    public SecurityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SecurityDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(SecurityDbContext.HistoryTable)).Options);
}
