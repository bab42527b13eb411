using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>
/// The state of an incremental read: <c>{"cursorField": "updated_at", "cursor": "2024-05-01T10:00:00.123456Z"}</c>.
/// The cursor value keeps its type: a JSON number for integer columns, a string for everything else
/// (ISO 8601 for dates and timestamps — with <c>Z</c> for timestamptz —, exact decimal text for numeric,
/// <c>infinity</c>/<c>-infinity</c> for PostgreSQL's infinities).
/// </summary>
/// <remarks>
/// Rows arrive ordered by the cursor. After a batch, the saved cursor is the largest value whose rows have
/// <em>all</em> been yielded: the last value of a batch may continue in the next one, so it is saved only
/// once a larger value (or the end of the stream) shows it is complete. A resumed read (<c>cursor &gt; saved</c>)
/// therefore never skips a row; after a failure it may read again the rows of the one value that straddled
/// the failed batch boundary.
/// </remarks>
internal sealed class CursorTracker(PgColumn column, int index, JsonNode? start)
{
    public const string CursorFieldKey = "cursorField";
    public const string CursorKey = "cursor";

    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly int MinDays = DateOnly.MinValue.DayNumber - UnixEpochDayNumber;
    private static readonly int MaxDays = DateOnly.MaxValue.DayNumber - UnixEpochDayNumber;
    private static readonly long MinMicros = (DateTime.MinValue - DateTime.UnixEpoch).Ticks / 10;
    private static readonly long MaxMicros = (DateTime.MaxValue - DateTime.UnixEpoch).Ticks / 10;

    private JsonNode? _completed = start?.DeepClone();
    private bool _changed;
    private JsonNode? _last;
    private Key? _lastKey;

    public PgColumn Column => column;

    /// <summary>Reads the cursor value from a saved state, or null to start from the beginning.</summary>
    /// <exception cref="PluginException">The state is not one this connector saved, or follows another cursor.</exception>
    public static JsonNode? StartValue(JsonNode? state, PgColumn cursor)
    {
        if (state is null)
        {
            return null;
        }

        if (state is not JsonObject saved || saved[CursorFieldKey] is not JsonValue field || field.GetValueKind() != JsonValueKind.String)
        {
            throw new PluginException($"The saved state {state.ToJsonString()} is not a PostgreSQL cursor ({{\"cursorField\": …, \"cursor\": …}}); run a full refresh to start over.");
        }

        // Starting over silently would append every row again: the user decides, with a full refresh.
        if (field.GetValue<string>() != cursor.FieldName)
        {
            throw new PluginException(
                $"The saved state is a position in '{field.GetValue<string>()}', this read follows '{cursor.FieldName}': run a full refresh after changing the cursor (or choose '{field.GetValue<string>()}' again).");
        }

        return saved[CursorKey] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number => value.DeepClone(),
            var other => throw new PluginException($"The saved cursor value {other.ToJsonString()} is neither a number nor a string; run a full refresh to start over."),
        };
    }

    /// <summary>The cursor value as the text the server casts to the column's type.</summary>
    public static string ToSqlText(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? value.GetValue<string>()
        : value.ToJsonString();

    /// <summary>Notes the cursor values of a batch about to be yielded (call before yielding: the host disposes batches).</summary>
    public void Observe(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var array = batch.Column(index);

        // Nulls sort first and are never a cursor; the non-null values follow in ascending order.
        var end = batch.Length - 1;
        while (end >= 0 && array.IsNull(end))
        {
            end--;
        }

        if (end < 0)
        {
            return;
        }

        var lastKey = KeyOf(array, end);
        var before = end - 1;
        while (before >= 0 && !array.IsNull(before) && KeyOf(array, before) == lastKey)
        {
            before--;
        }

        if (before >= 0 && !array.IsNull(before))
        {
            Complete(ToJson(array, before));
        }
        else if (_lastKey is { } previous && previous != lastKey)
        {
            Complete(_last!);
        }

        _last = ToJson(array, end);
        _lastKey = lastKey;
    }

    /// <summary>The state to save after yielding the batch just observed, or null when it did not move.</summary>
    public JsonObject? TakeCheckpoint()
    {
        if (!_changed || _completed is null)
        {
            return null;
        }

        _changed = false;
        return State(_completed);
    }

    /// <summary>The state at the end of the stream: every value read is complete.</summary>
    public JsonObject? Finish()
    {
        if (_last is not null)
        {
            Complete(_last);
        }

        return _completed is null ? null : State(_completed);
    }

    private JsonObject State(JsonNode value) => new()
    {
        [CursorFieldKey] = column.FieldName,
        [CursorKey] = value.DeepClone(),
    };

    private void Complete(JsonNode value)
    {
        _completed = value;
        _changed = true;
    }

    private static Key KeyOf(IArrowArray array, int i) => array switch
    {
        Int32Array a => new(a.Values[i], 0, null),
        Int64Array a => new(a.Values[i], 0, null),
        Date32Array a => new(a.Values[i], 0, null),
        TimestampArray a => new(a.Values[i], 0, null),
        Decimal128Array a => new(
            BitConverter.ToInt64(a.ValueBuffer.Span.Slice((a.Offset + i) * 16, 8)),
            BitConverter.ToInt64(a.ValueBuffer.Span.Slice(((a.Offset + i) * 16) + 8, 8)),
            null),
        StringArray a => new(0, 0, NormalizeDecimalText(a.GetString(i))),
        _ => throw new InvalidOperationException($"{array.Data.DataType.Name} cannot be a cursor."),
    };

    private static JsonValue ToJson(IArrowArray array, int i)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (array)
        {
            case Int32Array a:
                return JsonValue.Create((long)a.Values[i]);
            case Int64Array a:
                return JsonValue.Create(a.Values[i]);
            case Date32Array a:
                var days = a.Values[i];
                return JsonValue.Create(days switch
                {
                    int.MaxValue => "infinity",
                    -int.MaxValue => "-infinity",
                    _ when days >= MinDays && days <= MaxDays => DateOnly.FromDayNumber(UnixEpochDayNumber + days).ToString("yyyy-MM-dd", culture),
                    _ => throw OutOfRange(),
                });
            case TimestampArray a:
                var micros = a.Values[i];
                var utc = !string.IsNullOrEmpty(((Apache.Arrow.Types.TimestampType)a.Data.DataType).Timezone);
                return JsonValue.Create(micros switch
                {
                    long.MaxValue => "infinity",
                    -long.MaxValue => "-infinity",
                    _ when micros >= MinMicros && micros <= MaxMicros =>
                        DateTime.UnixEpoch.AddTicks(micros * 10).ToString(utc ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff", culture),
                    _ => throw OutOfRange(),
                });
            case Decimal128Array a:
                return JsonValue.Create(a.GetString(i)!);
            case StringArray a:
                return JsonValue.Create(a.GetString(i)!);
            default:
                throw new InvalidOperationException($"{array.Data.DataType.Name} cannot be a cursor.");
        }
    }

    private static PluginException OutOfRange() =>
        new("A cursor value before the year 1 or after 9999 cannot be saved as ISO 8601; choose another cursor column.");

    /// <summary>numeric text without trailing fractional zeros, so that 1.50 and 1.5 are one value.</summary>
    private static string NormalizeDecimalText(string text) =>
        text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;

    private readonly record struct Key(long A, long B, string? Text);
}
