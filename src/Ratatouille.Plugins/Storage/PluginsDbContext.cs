using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ratatouille.Plugins.Storage;

/// <summary>Plugin states, connections, stream states and extract runs, in the metadata database with their own migration history.</summary>
public sealed class PluginsDbContext(DbContextOptions<PluginsDbContext> options) : DbContext(options)
{
    public const string HistoryTable = "__plugins_migrations";

    public DbSet<PluginStateRow> PluginStates => Set<PluginStateRow>();

    public DbSet<ConnectionRow> Connections => Set<ConnectionRow>();

    public DbSet<StreamStateRow> StreamStates => Set<StreamStateRow>();

    public DbSet<ExtractRunRow> ExtractRuns => Set<ExtractRunRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PluginStateRow>(e =>
        {
            e.ToTable("plugin_states");
            e.HasKey(p => new { p.PluginId, p.Version });
            e.Property(p => p.PluginId).HasMaxLength(64);
            e.Property(p => p.Version).HasMaxLength(64);
            e.Property(p => p.UpdatedBy).HasMaxLength(64);
        });
        modelBuilder.Entity<ConnectionRow>(e =>
        {
            e.ToTable("connections");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(64).UseCollation("NOCASE");
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Connector).HasMaxLength(64);
            e.Property(c => c.Version).HasMaxLength(64);
            e.Property(c => c.CreatedBy).HasMaxLength(64);
            e.Property(c => c.UpdatedBy).HasMaxLength(64);
            e.Property(c => c.Revision).IsConcurrencyToken();
        });
        modelBuilder.Entity<StreamStateRow>(e =>
        {
            e.ToTable("stream_states");
            e.HasKey(s => new { s.ConnectionId, s.Stream, s.Dataset });
            e.Property(s => s.Stream).HasMaxLength(256);
            e.Property(s => s.Dataset).HasMaxLength(200);
            e.Property(s => s.PendingRunId).HasMaxLength(32);
            e.HasOne<ConnectionRow>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ExtractRunRow>(e =>
        {
            e.ToTable("extract_runs");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.HasIndex(r => new { r.ConnectionId, r.StartedAt });
            e.Property(r => r.Stream).HasMaxLength(256);
            e.Property(r => r.Dataset).HasMaxLength(200);
            e.Property(r => r.Mode).HasMaxLength(16);
            e.Property(r => r.Status).HasMaxLength(16);
            e.Property(r => r.Error).HasMaxLength(4096);
            e.Property(r => r.StartedBy).HasMaxLength(64);
            e.Property(r => r.PluginVersion).HasMaxLength(64);
            e.HasOne<ConnectionRow>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

public sealed class PluginStateRow
{
    public string PluginId { get; set; } = "";

    public string Version { get; set; } = "";

    public bool Enabled { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

public sealed class ConnectionRow
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Connector { get; set; } = "";

    /// <summary>The pinned plugin version, or null to follow the newest active one.</summary>
    public string? Version { get; set; }

    /// <summary>The configuration without secret values (those are in the secret store).</summary>
    public string ConfigJson { get; set; } = "{}";

    /// <summary>JSON array of the secret option paths that have a stored value.</summary>
    public string SecretPathsJson { get; set; } = "[]";

    public DateTime CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public int Revision { get; set; }
}

public sealed class StreamStateRow
{
    public long ConnectionId { get; set; }

    public string Stream { get; set; } = "";

    public string Dataset { get; set; } = "";

    public string StateJson { get; set; } = "null";

    /// <summary>The snapshot whose commit made this state current.</summary>
    public long SnapshotId { get; set; }

    /// <summary>
    /// The state a run wrote just before committing its snapshot, with that run's id: adopted once the
    /// snapshot (origin naming the run) is found in the catalog, dropped otherwise. Makes the state move
    /// exactly with the commit, even if the process dies in between.
    /// </summary>
    public string? PendingStateJson { get; set; }

    public string? PendingRunId { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class ExtractRunRow
{
    public string Id { get; set; } = "";

    public long ConnectionId { get; set; }

    public string Stream { get; set; } = "";

    public string Dataset { get; set; } = "";

    public string Mode { get; set; } = "";

    public string Status { get; set; } = "";

    public string PluginVersion { get; set; } = "";

    public long Rows { get; set; }

    public long? SnapshotId { get; set; }

    /// <summary>
    /// The stream position committed with this run's snapshot: where a later incremental run resumes when
    /// the dataset's contents lead back to that snapshot (after a rollback, say).
    /// </summary>
    public string? StateJson { get; set; }

    public string? Error { get; set; }

    /// <summary>The run's log (<see cref="RunLog"/>) as JSON, written when the run ends.</summary>
    public string? LogJson { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string StartedBy { get; set; } = "";
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the server.</summary>
public sealed class PluginsDesignTimeFactory : IDesignTimeDbContextFactory<PluginsDbContext>
{
    public PluginsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PluginsDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(PluginsDbContext.HistoryTable)).Options);
}
