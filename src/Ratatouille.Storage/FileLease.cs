namespace Ratatouille.Storage;

/// <summary>
/// Keeps a set of objects available as local files (pinned in the cache) until disposed.
/// Query code holds one for the duration of a statement.
/// </summary>
public sealed class FileLease : IDisposable
{
    private readonly Action? _release;
    private int _disposed;

    internal FileLease(Action? release) => _release = release;

    /// <summary>A lease that pins nothing (local store: files are always there).</summary>
    public static FileLease None { get; } = new(null);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release?.Invoke();
        }
    }
}
