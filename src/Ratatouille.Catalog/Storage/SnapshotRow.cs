namespace Ratatouille.Catalog.Storage;

public sealed class SnapshotRow
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    public long? ParentId { get; set; }

    public DateTime CreatedAt { get; set; }

    public string Operation { get; set; } = string.Empty;

    public string Origin { get; set; } = string.Empty;

    /// <summary>For a rollback, the snapshot whose contents it restored.</summary>
    public long? RestoredFromId { get; set; }

    public string SchemaJson { get; set; } = "[]";

    public long RowCount { get; set; }

    public long Bytes { get; set; }

    public int FileCount { get; set; }

    public bool Expired { get; set; }
}
