using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Ratatouille.Sdk;

/// <summary>
/// Builds Arrow record batches row by row, for authors who think in rows. Values are converted to the
/// field's type: numbers from any numeric type or text, <see cref="DateTime"/>/<see cref="DateTimeOffset"/>/
/// <see cref="DateOnly"/> for dates and timestamps, <see cref="Guid"/> or text for UUIDs, any value for JSON
/// (text is taken as JSON as it is), byte arrays for binary, enumerables for lists.
/// Not thread-safe.
/// </summary>
/// <example>
/// <code>
/// var rows = new RowBatchBuilder(schema);
/// foreach (var order in orders)
/// {
///     rows.Add(order.Id, order.Customer, order.Total);
///     if (rows.IsFull) yield return rows.Build();
/// }
/// if (rows.Count > 0) yield return rows.Build();
/// </code>
/// </example>
public sealed class RowBatchBuilder
{
    private readonly ColumnWriter[] _columns;

    /// <summary>Creates a builder for <paramref name="schema"/>.</summary>
    /// <param name="capacity">Rows per batch: <see cref="IsFull"/> turns true at this count.</param>
    public RowBatchBuilder(Schema schema, int capacity = 65_536)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Schema = schema;
        Capacity = capacity;
        _columns = schema.FieldsList.Select(ColumnWriter.For).ToArray();
    }

    /// <summary>The schema of the batches built.</summary>
    public Schema Schema { get; }

    /// <summary>Rows per batch.</summary>
    public int Capacity { get; }

    /// <summary>Rows added since the last <see cref="Build"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Whether <see cref="Count"/> reached <see cref="Capacity"/>.</summary>
    public bool IsFull => Count >= Capacity;

    /// <summary>Adds a row: one value per field, in schema order (null for a missing value).</summary>
    /// <exception cref="ArgumentException">Wrong number of values, a null in a non-nullable field, or a value that does not convert.</exception>
    public void Add(params ReadOnlySpan<object?> values)
    {
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"A row needs {_columns.Length} values (one per field); got {values.Length}.", nameof(values));
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            try
            {
                _columns[i].Append(values[i]);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                // Keep the columns aligned: pad the ones already written for this row, then roll back all of them.
                for (var j = 0; j < _columns.Length; j++)
                {
                    _columns[j].Truncate(Count);
                }

                throw new ArgumentException($"Row {Count}: column '{Schema.FieldsList[i].Name}' ({Schema.FieldsList[i].DataType.Name}): {ex.Message}", nameof(values), ex);
            }
        }

        Count++;
    }

    /// <summary>Returns the rows added so far as a batch and starts a new one.</summary>
    public RecordBatch Build()
    {
        var arrays = _columns.Select(c => c.Build()).ToArray();
        var batch = new RecordBatch(Schema, arrays, Count);
        Count = 0;
        return batch;
    }

    private sealed class ColumnWriter(Field field)
    {
        private readonly List<object?> _values = [];

        private Field Field { get; } = field;

        public static ColumnWriter For(Field field) => new(field);

        public void Append(object? value)
        {
            if (value is null or DBNull)
            {
                if (!Field.IsNullable)
                {
                    throw new ArgumentException("null in a field that is not nullable");
                }

                _values.Add(null);
                return;
            }

            _values.Add(Convert(value));
        }

        public void Truncate(int count)
        {
            if (_values.Count > count)
            {
                _values.RemoveRange(count, _values.Count - count);
            }
        }

        public IArrowArray Build()
        {
            var array = Materialize(Field.DataType, _values);
            _values.Clear();
            return array;
        }

        private object Convert(object value) => ConvertTo(Field.DataType, Columns.LogicalType(Field), value);

        private static object ConvertTo(IArrowType type, string? logicalType, object value)
        {
            var culture = CultureInfo.InvariantCulture;
            return type switch
            {
                BooleanType => value is string s ? bool.Parse(s) : System.Convert.ToBoolean(value, culture),
                Int8Type => System.Convert.ToSByte(value, culture),
                Int16Type => System.Convert.ToInt16(value, culture),
                Int32Type => System.Convert.ToInt32(value, culture),
                Int64Type => System.Convert.ToInt64(value, culture),
                UInt8Type => System.Convert.ToByte(value, culture),
                UInt16Type => System.Convert.ToUInt16(value, culture),
                UInt32Type => System.Convert.ToUInt32(value, culture),
                UInt64Type => System.Convert.ToUInt64(value, culture),
                FloatType => System.Convert.ToSingle(value, culture),
                DoubleType => System.Convert.ToDouble(value, culture),
                Decimal128Type => System.Convert.ToDecimal(value, culture),
                StringType when logicalType == Columns.JsonType => value switch
                {
                    string text => text,
                    System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
                    System.Text.Json.JsonElement element => element.GetRawText(),
                    _ => System.Text.Json.JsonSerializer.Serialize(value, value.GetType()),
                },
                StringType when logicalType == Columns.UuidType => value is Guid g ? g.ToString("D") : Guid.Parse(System.Convert.ToString(value, culture)!).ToString("D"),
                StringType or LargeStringType => value as string ?? System.Convert.ToString(value, culture)!,
                BinaryType or LargeBinaryType => value as byte[] ?? throw new InvalidCastException($"expected byte[], got {value.GetType().Name}"),
                Date32Type or Date64Type => value switch
                {
                    DateOnly d => d,
                    DateTime dt => DateOnly.FromDateTime(dt),
                    DateTimeOffset dto => DateOnly.FromDateTime(dto.UtcDateTime),
                    string s => DateOnly.Parse(s, culture),
                    _ => throw new InvalidCastException($"expected a date, got {value.GetType().Name}"),
                },
                TimestampType ts => value switch
                {
                    DateTimeOffset dto => dto,
                    DateTime dt => dt.Kind switch
                    {
                        DateTimeKind.Utc => new DateTimeOffset(dt),
                        DateTimeKind.Local when ts.Timezone is not null => new DateTimeOffset(dt.ToUniversalTime()),
                        _ => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
                    },
                    string s => DateTimeOffset.Parse(s, culture, DateTimeStyles.AssumeUniversal),
                    _ => throw new InvalidCastException($"expected a timestamp, got {value.GetType().Name}"),
                },
                ListType list => value is System.Collections.IEnumerable items and not string
                    ? items.Cast<object?>().Select(item => item is null or DBNull ? null : ConvertTo(list.ValueDataType, Columns.LogicalType(list.ValueField), item)).ToList()
                    : throw new InvalidCastException($"expected a list, got {value.GetType().Name}"),
                _ => throw new NotSupportedException($"RowBatchBuilder does not write {type.Name}; build that column with Arrow's builders."),
            };
        }

        private static IArrowArray Materialize(IArrowType type, List<object?> values) => type switch
        {
            BooleanType => Fill(new BooleanArray.Builder(), values, (b, v) => b.Append((bool)v), b => b.AppendNull(), b => b.Build()),
            Int8Type => Fill(new Int8Array.Builder(), values, (b, v) => b.Append((sbyte)v), b => b.AppendNull(), b => b.Build()),
            Int16Type => Fill(new Int16Array.Builder(), values, (b, v) => b.Append((short)v), b => b.AppendNull(), b => b.Build()),
            Int32Type => Fill(new Int32Array.Builder(), values, (b, v) => b.Append((int)v), b => b.AppendNull(), b => b.Build()),
            Int64Type => Fill(new Int64Array.Builder(), values, (b, v) => b.Append((long)v), b => b.AppendNull(), b => b.Build()),
            UInt8Type => Fill(new UInt8Array.Builder(), values, (b, v) => b.Append((byte)v), b => b.AppendNull(), b => b.Build()),
            UInt16Type => Fill(new UInt16Array.Builder(), values, (b, v) => b.Append((ushort)v), b => b.AppendNull(), b => b.Build()),
            UInt32Type => Fill(new UInt32Array.Builder(), values, (b, v) => b.Append((uint)v), b => b.AppendNull(), b => b.Build()),
            UInt64Type => Fill(new UInt64Array.Builder(), values, (b, v) => b.Append((ulong)v), b => b.AppendNull(), b => b.Build()),
            FloatType => Fill(new FloatArray.Builder(), values, (b, v) => b.Append((float)v), b => b.AppendNull(), b => b.Build()),
            DoubleType => Fill(new DoubleArray.Builder(), values, (b, v) => b.Append((double)v), b => b.AppendNull(), b => b.Build()),
            Decimal128Type d => Fill(new Decimal128Array.Builder(d), values, (b, v) => b.Append((decimal)v), b => b.AppendNull(), b => b.Build()),
            StringType => Fill(new StringArray.Builder(), values, (b, v) => b.Append((string)v), b => b.AppendNull(), b => b.Build()),
            LargeStringType => Fill(new LargeStringArray.Builder(), values, (b, v) => b.Append((string)v), b => b.AppendNull(), b => b.Build()),
            BinaryType => Fill(new BinaryArray.Builder(), values, (b, v) => b.Append(((byte[])v).AsSpan()), b => b.AppendNull(), b => b.Build()),
            Date32Type => Fill(new Date32Array.Builder(), values, (b, v) => b.Append((DateOnly)v), b => b.AppendNull(), b => b.Build()),
            Date64Type => Fill(new Date64Array.Builder(), values, (b, v) => b.Append((DateOnly)v), b => b.AppendNull(), b => b.Build()),
            TimestampType ts => Fill(new TimestampArray.Builder(ts), values, (b, v) => b.Append((DateTimeOffset)v), b => b.AppendNull(), b => b.Build()),
            ListType list => MaterializeList(list, values),
            _ => throw new NotSupportedException($"RowBatchBuilder does not write {type.Name}."),
        };

        private static IArrowArray Fill<TBuilder>(TBuilder builder, List<object?> values, Action<TBuilder, object> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
        {
            foreach (var value in values)
            {
                if (value is null)
                {
                    appendNull(builder);
                }
                else
                {
                    append(builder, value);
                }
            }

            return build(builder);
        }

        private static ListArray MaterializeList(ListType type, List<object?> values)
        {
            var offsets = new ArrowBuffer.Builder<int>(values.Count + 1);
            var validity = new ArrowBuffer.BitmapBuilder(values.Count);
            var items = new List<object?>();
            var nulls = 0;
            offsets.Append(0);
            foreach (var value in values)
            {
                if (value is List<object?> list)
                {
                    items.AddRange(list);
                    validity.Append(true);
                }
                else
                {
                    validity.Append(false);
                    nulls++;
                }

                offsets.Append(items.Count);
            }

            var child = Materialize(type.ValueDataType, items);
            return new ListArray(type, values.Count, offsets.Build(), child, validity.Build(), nulls);
        }
    }
}
