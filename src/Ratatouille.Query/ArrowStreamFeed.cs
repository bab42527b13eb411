using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Apache.Arrow;
using Apache.Arrow.C;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Ratatouille.Query;

/// <summary>
/// An Arrow C stream (<c>ArrowArrayStream</c>) that hands DuckDB the batches waiting in a channel,
/// registered on a connection as a view with <c>duckdb_arrow_scan</c>.
/// </summary>
/// <remarks>
/// <para>Ownership, from DuckDB's <c>arrow-c.cpp</c> and <c>function/table/arrow.cpp</c>:
/// <c>duckdb_arrow_scan</c> does not take the stream: every scan copies the struct and replaces its
/// <c>release</c> with a no-op, so the caller releases it, after the last statement that reads the
/// view. Each bind calls <c>get_schema</c> and nulls the root <c>release</c> of the schema it got
/// without calling it, so a freshly exported schema would leak on every bind: <c>get_schema</c>
/// therefore lends a shallow copy of one schema this object owns (its <c>release</c> is a no-op)
/// and frees it in <see cref="Dispose"/>. <c>get_next</c> is called under the scan's lock, one call
/// at a time, on a DuckDB worker thread; the arrays it exports are released by DuckDB.</para>
/// <para><c>get_next</c> never blocks longer than the idle timeout or past cancellation: it returns
/// an error instead, which fails the statement, and <see cref="Failure"/> says why.</para>
/// </remarks>
internal sealed unsafe partial class ArrowStreamFeed : IDisposable
{
    private const int ErrorIo = 5; // EIO, as the Arrow C stream interface expects an errno value

    private readonly ChannelReader<RecordBatch> _reader;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _cancellation;
    private readonly CArrowSchema* _schema;
    private readonly NativeStream* _stream;
    private GCHandle _self;
    private byte* _lastError;
    private bool _ended;
    private bool _disposed;

    public ArrowStreamFeed(Schema schema, ChannelReader<RecordBatch> reader, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        _reader = reader;
        _idleTimeout = idleTimeout;
        _cancellation = cancellationToken;
        _schema = CArrowSchema.Create();
        _stream = (NativeStream*)NativeMemory.AllocZeroed((nuint)sizeof(NativeStream));
        try
        {
            CArrowSchemaExporter.ExportSchema(schema, _schema);
            _self = GCHandle.Alloc(this);
            _stream->GetSchema = &GetSchema;
            _stream->GetNext = &GetNext;
            _stream->GetLastError = &GetLastError;
            _stream->Release = &ReleaseStream;
            _stream->PrivateData = (void*)GCHandle.ToIntPtr(_self);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Why the stream stopped early (a <see cref="BatchSourceException"/> or an <see cref="OperationCanceledException"/>), or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Rows handed to DuckDB so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Batches handed to DuckDB so far.</summary>
    public long Batches { get; private set; }

    /// <summary>Registers the stream as view <paramref name="viewName"/> on <paramref name="connection"/>.</summary>
    public void Register(DuckDBConnection connection, string viewName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ArrowScan(connection.NativeConnection, viewName, _stream) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"DuckDB refused to register the Arrow stream as view '{viewName}' (duckdb_arrow_scan failed).");
        }
    }

    /// <summary>Frees the stream and its schema. Call only once DuckDB no longer reads the view.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CArrowSchema.Free(_schema);
        NativeMemory.Free(_stream);
        Marshal.FreeCoTaskMem((IntPtr)_lastError);
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [LibraryImport("duckdb", EntryPoint = "duckdb_arrow_scan", StringMarshalling = StringMarshalling.Utf8)]
    private static partial DuckDBState ArrowScan(DuckDBNativeConnection connection, string tableName, NativeStream* stream);

    private static ArrowStreamFeed From(NativeStream* stream) => (ArrowStreamFeed)GCHandle.FromIntPtr((IntPtr)stream->PrivateData).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetSchema(NativeStream* stream, CArrowSchema* output)
    {
        try
        {
            var feed = From(stream);
            *output = *feed._schema;
            ((NativeSchema*)output)->Release = &ReleaseBorrowedSchema;
            return 0;
        }
        catch (Exception)
        {
            return ErrorIo;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetNext(NativeStream* stream, CArrowArray* output)
    {
        try
        {
            return From(stream).Next(output);
        }
        catch (Exception)
        {
            return ErrorIo;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte* GetLastError(NativeStream* stream)
    {
        try
        {
            return From(stream)._lastError;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReleaseStream(NativeStream* stream) => stream->Release = null; // the memory is ours: Dispose frees it

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReleaseBorrowedSchema(NativeSchema* schema) => schema->Release = null;

    private int Next(CArrowArray* output)
    {
        NativeMemory.Clear(output, (nuint)sizeof(CArrowArray)); // release == null: end of stream
        if (Failure is not null)
        {
            return ErrorIo;
        }

        if (_ended)
        {
            return 0;
        }

        RecordBatch? batch;
        try
        {
            batch = Take();
        }
        catch (Exception ex)
        {
            return Fail(ex);
        }

        if (batch is null)
        {
            _ended = true;
            return 0;
        }

        try
        {
            CArrowArrayExporter.ExportRecordBatch(batch, output);
            Rows += batch.Length;
            Batches++;
            return 0;
        }
        catch (Exception ex)
        {
            NativeMemory.Clear(output, (nuint)sizeof(CArrowArray)); // a half-exported array is leaked, never released twice
            return Fail(new BatchSourceException($"Batch {Batches + 1} could not be exported to DuckDB: {ex.Message}", ex));
        }
        finally
        {
            batch.Dispose(); // the export holds its own references to the buffers
        }
    }

    /// <summary>The next batch, null at the end; throws when the source failed, went idle or the write was cancelled.</summary>
    private RecordBatch? Take()
    {
        if (_reader.TryRead(out var ready))
        {
            return ready;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
        idle.CancelAfter(_idleTimeout);
        try
        {
            while (true)
            {
                if (_reader.TryRead(out var batch))
                {
                    return batch;
                }

                if (!_reader.WaitToReadAsync(idle.Token).AsTask().GetAwaiter().GetResult())
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(_cancellation);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            throw new BatchSourceException($"The batch source sent no batch for {_idleTimeout.TotalSeconds:0.###} s (idle timeout) after batch {Batches}; the write was abandoned.");
        }
    }

    private int Fail(Exception ex)
    {
        Failure = ex is BatchSourceException or OperationCanceledException
            ? ex
            : new BatchSourceException($"The batch source failed: {ex.Message}", ex);
        Marshal.FreeCoTaskMem((IntPtr)_lastError);
        _lastError = (byte*)Marshal.StringToCoTaskMemUTF8(Failure.Message);
        return ErrorIo;
    }

    /// <summary>The C <c>ArrowArrayStream</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeStream
    {
        public delegate* unmanaged[Cdecl]<NativeStream*, CArrowSchema*, int> GetSchema;
        public delegate* unmanaged[Cdecl]<NativeStream*, CArrowArray*, int> GetNext;
        public delegate* unmanaged[Cdecl]<NativeStream*, byte*> GetLastError;
        public delegate* unmanaged[Cdecl]<NativeStream*, void> Release;
        public void* PrivateData;
    }

    /// <summary>The C <c>ArrowSchema</c>, to set <c>release</c> (internal in <see cref="CArrowSchema"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeSchema
    {
        public byte* Format;
        public byte* Name;
        public byte* Metadata;
        public long Flags;
        public long ChildCount;
        public void** Children;
        public void* Dictionary;
        public delegate* unmanaged[Cdecl]<NativeSchema*, void> Release;
        public void* PrivateData;
    }
}
