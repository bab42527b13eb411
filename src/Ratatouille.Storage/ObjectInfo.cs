namespace Ratatouille.Storage;

/// <summary>Metadata of a stored object.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
