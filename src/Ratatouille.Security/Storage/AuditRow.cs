namespace Ratatouille.Security.Storage;

public sealed class AuditRow
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public string Actor { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;

    public bool Success { get; set; }

    public string? Detail { get; set; }

    public string? RemoteAddress { get; set; }
}
