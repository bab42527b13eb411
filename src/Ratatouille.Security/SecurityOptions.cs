using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Security;

/// <summary>Login and password rules (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Shortest password accepted.</summary>
    [Range(8, 256)]
    public int MinPasswordLength { get; set; } = 10;

    /// <summary>Failed logins in a row before the account is locked for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a login session lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Sign-in attempts allowed per client address and minute (on top of the per-account lockout).</summary>
    [Range(1, 100_000)]
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>Send HSTS and redirect HTTP to HTTPS (set when served over TLS, directly or behind a proxy).</summary>
    public bool RequireHttps { get; set; }
}
