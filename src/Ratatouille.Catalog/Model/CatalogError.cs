namespace Ratatouille.Catalog.Model;

/// <summary>What went wrong, so the API can pick a status code.</summary>
public enum CatalogError
{
    InvalidName,
    NotFound,
    SnapshotNotFound,
    SnapshotExpired,
    SchemaConflict,
    Conflict,
    AlreadyExists,
    InvalidRequest,
}
