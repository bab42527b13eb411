using System.Text.Json.Nodes;
using Apache.Arrow;

namespace Ratatouille.Sdk;

/// <summary>How a stream is extracted.</summary>
public enum SyncMode
{
    /// <summary>Read everything; the dataset is replaced.</summary>
    Full,

    /// <summary>Read what is new since the saved state (cursor); the rows are appended.</summary>
    Incremental,
}

/// <summary>The outcome of checking a connection.</summary>
/// <param name="Success">Whether the source answered as configured.</param>
/// <param name="Message">What was checked, or what is wrong and how to fix it.</param>
public sealed record ConnectionCheckResult(bool Success, string Message)
{
    /// <summary>A successful check.</summary>
    public static ConnectionCheckResult Ok(string message = "Connected.") => new(true, message);

    /// <summary>A failed check with the reason.</summary>
    public static ConnectionCheckResult Failed(string message) => new(false, message);
}

/// <summary>A stream a source offers: a table, an endpoint, a set of files.</summary>
public sealed record StreamDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The stream's name within its connection (e.g. <c>public.orders</c>).</param>
    /// <param name="schema">The columns every batch of this stream has (Arrow types; see <see cref="Columns"/>).</param>
    public StreamDescriptor(string name, Schema schema)
    {
        Name = name;
        Schema = schema;
    }

    /// <summary>The stream's name within its connection.</summary>
    public string Name { get; }

    /// <summary>The columns every batch of this stream has, in order.</summary>
    public Schema Schema { get; }

    /// <summary>A sentence for the UI.</summary>
    public string? Description { get; init; }

    /// <summary>The modes the stream supports; <see cref="SyncMode.Full"/> at least.</summary>
    public IReadOnlyList<SyncMode> SupportedModes { get; init; } = [SyncMode.Full];

    /// <summary>Columns an incremental read can use as its cursor (ever-increasing values).</summary>
    public IReadOnlyList<string> CursorFields { get; init; } = [];

    /// <summary>The cursor used when the caller names none.</summary>
    public string? DefaultCursorField { get; init; }

    /// <summary>Columns that identify a row, when the source knows them.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];
}

/// <summary>
/// What to read, and the resumable state. For <see cref="SyncMode.Incremental"/>, read only what comes
/// after <see cref="State"/>, and call <see cref="SaveState"/> with the new position after yielding the
/// batches it covers. The platform keeps the last saved state and stores it only when the batches read
/// before it are committed, so a failed run never skips data.
/// </summary>
public sealed class ReadRequest
{
    private JsonNode? _checkpoint;

    /// <summary>Creates a request.</summary>
    public ReadRequest(string stream, SyncMode mode, JsonNode? state = null, string? cursorField = null)
    {
        Stream = stream;
        Mode = mode;
        State = state;
        CursorField = cursorField;
    }

    /// <summary>The stream to read (a name from discovery).</summary>
    public string Stream { get; }

    /// <summary>Full or incremental.</summary>
    public SyncMode Mode { get; }

    /// <summary>
    /// The state saved by the last committed read, or null. Its shape is the connector's own
    /// (e.g. <c>{"cursor": "2024-05-01T10:00:00Z"}</c>). A full refresh of a stream that supports
    /// incremental reads arrives as an incremental read with a null state: return everything (rows
    /// with a null cursor included) and save the position, so later incremental runs continue after it.
    /// </summary>
    public JsonNode? State { get; }

    /// <summary>The cursor the user chose for an incremental read; null means the stream's default.</summary>
    public string? CursorField { get; }

    /// <summary>A hint for how many rows a batch should hold.</summary>
    public int PreferredBatchRows { get; init; } = 65_536;

    /// <summary>The state most recently passed to <see cref="SaveState"/>, or null.</summary>
    public JsonNode? Checkpoint => Volatile.Read(ref _checkpoint);

    /// <summary>
    /// Records the position after the batches yielded so far. Call it after yielding, never before:
    /// the platform stores the last state it saw once those batches are committed.
    /// </summary>
    public void SaveState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Volatile.Write(ref _checkpoint, state.DeepClone());
    }
}

/// <summary>
/// A source of data. Implement it through <see cref="Connector{TOptions}"/>, which gives typed options;
/// the host talks to this interface. Mark the class with <see cref="ConnectorAttribute"/>.
/// Implementations must be stateless between calls (the host may call them concurrently) and honour
/// the cancellation token everywhere.
/// </summary>
public interface IConnector
{
    /// <summary>The options class: its properties make the configuration form (see <see cref="OptionsSchema"/>).</summary>
    Type OptionsType { get; }

    /// <summary>Checks that the source answers with these options (credentials, reachability, permissions).</summary>
    Task<ConnectionCheckResult> CheckAsync(object options, IPluginContext context, CancellationToken cancellationToken);

    /// <summary>The streams the source offers, each with its schema.</summary>
    Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(object options, IPluginContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one stream as record batches whose schema equals the discovered one (names, order, types).
    /// The host disposes each batch after it is written.
    /// </summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(object options, ReadRequest request, IPluginContext context, CancellationToken cancellationToken);
}

/// <summary>Base class for connectors with a typed options class.</summary>
/// <typeparam name="TOptions">A class with a public parameterless constructor and settable properties.</typeparam>
public abstract class Connector<TOptions> : IConnector
    where TOptions : class, new()
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <summary>Checks that the source answers with these options.</summary>
    public abstract Task<ConnectionCheckResult> CheckAsync(TOptions options, IPluginContext context, CancellationToken cancellationToken);

    /// <summary>The streams the source offers, each with its schema.</summary>
    public abstract Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(TOptions options, IPluginContext context, CancellationToken cancellationToken);

    /// <summary>Reads one stream as record batches whose schema equals the discovered one.</summary>
    public abstract IAsyncEnumerable<RecordBatch> ReadAsync(TOptions options, ReadRequest request, IPluginContext context, CancellationToken cancellationToken);

    Task<ConnectionCheckResult> IConnector.CheckAsync(object options, IPluginContext context, CancellationToken cancellationToken) =>
        CheckAsync((TOptions)options, context, cancellationToken);

    Task<IReadOnlyList<StreamDescriptor>> IConnector.DiscoverAsync(object options, IPluginContext context, CancellationToken cancellationToken) =>
        DiscoverAsync((TOptions)options, context, cancellationToken);

    IAsyncEnumerable<RecordBatch> IConnector.ReadAsync(object options, ReadRequest request, IPluginContext context, CancellationToken cancellationToken) =>
        ReadAsync((TOptions)options, request, context, cancellationToken);
}
