using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers users, API keys, secrets and the audit log over the metadata database, and Data
    /// Protection with its key ring in <paramref name="keysFolder"/> (readable by the service user only).
    /// </summary>
    public static IServiceCollection AddRatatouilleSecurity(this IServiceCollection services, string databasePath, string keysFolder)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        services.AddDbContextFactory<SecurityDbContext>(o => o.UseSqlite(connectionString, s => s.MigrationsHistoryTable(SecurityDbContext.HistoryTable)));
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        KeyFolder.Prepare(keysFolder);
        services.AddDataProtection().SetApplicationName("Ratatouille").PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UserService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<SecretStore>();
        services.AddSingleton<SecurityStore>();
        return services;
    }
}
