using Ratatouille.Catalog.Model;
using Ratatouille.Client.Contracts;

namespace Ratatouille.Server.Api;

/// <summary>Kernel models to the public contracts in <c>Ratatouille.Client</c>.</summary>
internal static class ApiMapping
{
    public static DatasetSummary ToSummary(this DatasetInfo info) => new()
    {
        Layer = info.Name.LayerName,
        Name = info.Name.Name,
        RowCount = info.Current?.RowCount ?? 0,
        Bytes = info.Current?.Bytes ?? 0,
        FileCount = info.Current?.FileCount ?? 0,
        CurrentSnapshotId = info.Current?.Id,
        CreatedAt = Utc(info.CreatedAt),
        UpdatedAt = info.Current is null ? null : Utc(info.Current.CreatedAt),
    };

    public static DatasetDetail ToDetail(this DatasetInfo info) => new()
    {
        Dataset = info.ToSummary(),
        Columns = info.Current?.Schema.ToColumns() ?? [],
    };

    public static SnapshotDto ToDto(this SnapshotInfo snapshot) => new()
    {
        Id = snapshot.Id,
        ParentId = snapshot.ParentId,
        CreatedAt = Utc(snapshot.CreatedAt),
        Operation = snapshot.Operation,
        Origin = snapshot.Origin,
        RowCount = snapshot.RowCount,
        Bytes = snapshot.Bytes,
        FileCount = snapshot.FileCount,
        Expired = snapshot.Expired,
        Columns = snapshot.Schema.ToColumns(),
    };

    public static List<ColumnDto> ToColumns(this IEnumerable<ColumnSchema> schema) => schema.Select(c => new ColumnDto(c.Name, c.Type)).ToList();

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
