namespace Ratatouille.Plugins;

/// <summary>
/// The extracts running in this process, by run id, with the connection they belong to. Starting a run
/// checks and registers under one lock, so two requests for the same stream cannot both start, and a
/// connection with a running extract cannot be deleted under it.
/// </summary>
public sealed class RunningExtracts
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _runs = new(StringComparer.Ordinal);

    /// <summary>Registers a run unless the same connection and stream is running; false when it is.</summary>
    public bool TryStart(string runId, long connectionId, string stream, object state)
    {
        lock (_gate)
        {
            if (_runs.Values.Any(r => r.ConnectionId == connectionId && r.Stream == stream))
            {
                return false;
            }

            _runs.Add(runId, new Entry(connectionId, stream, state));
            return true;
        }
    }

    public void Finish(string runId)
    {
        lock (_gate)
        {
            _runs.Remove(runId);
        }
    }

    public T? Get<T>(string runId)
        where T : class
    {
        lock (_gate)
        {
            return _runs.TryGetValue(runId, out var entry) ? entry.State as T : null;
        }
    }

    public bool AnyFor(long connectionId)
    {
        lock (_gate)
        {
            return _runs.Values.Any(r => r.ConnectionId == connectionId);
        }
    }

    private sealed record Entry(long ConnectionId, string Stream, object State);
}
