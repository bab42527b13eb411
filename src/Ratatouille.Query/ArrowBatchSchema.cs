using System.Globalization;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Ratatouille.Query;

/// <summary>
/// The declared schema of an Arrow batch stream: which Arrow types the kernel accepts, how each
/// batch is checked against the declaration (types, nullability and buffer layout, so that DuckDB
/// never reads past a buffer a plugin got wrong), and the SELECT list that feeds <c>COPY</c>.
/// </summary>
internal static class ArrowBatchSchema
{
    /// <summary>Field metadata key naming the DuckDB type a column becomes: <c>json</c> or <c>uuid</c>.</summary>
    public const string TypeKey = "ratatouille.type";

    /// <summary>Throws <see cref="ArgumentException"/> when the declared schema cannot be written.</summary>
    public static void ValidateDeclared(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.FieldsList.Count == 0)
        {
            throw new ArgumentException("The stream schema declares no columns.", nameof(schema));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in schema.FieldsList)
        {
            if (string.IsNullOrEmpty(field.Name) || field.Name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Every column of the stream schema needs a name (without NUL characters).", nameof(schema));
            }

            if (!names.Add(field.Name))
            {
                throw new ArgumentException($"The stream schema declares column '{field.Name}' twice (names are case-insensitive).", nameof(schema));
            }

            if (Unsupported(field.DataType) is { } unsupported)
            {
                throw new ArgumentException($"Column '{field.Name}' has Arrow type {Describe(field.DataType)}, which cannot be written ({unsupported}).", nameof(schema));
            }

            switch (Tag(field))
            {
                case null:
                    break;
                case "json" when field.DataType.TypeId is ArrowTypeId.String or ArrowTypeId.LargeString:
                    break;
                case "uuid" when field.DataType.TypeId is ArrowTypeId.String or ArrowTypeId.LargeString
                    || field.DataType is FixedSizeBinaryType { TypeId: ArrowTypeId.FixedSizedBinary, ByteWidth: 16 }:
                    break;
                case "json" or "uuid":
                    throw new ArgumentException(
                        $"Column '{field.Name}' is tagged {TypeKey}={Tag(field)} but is {Describe(field.DataType)}: json needs Utf8, uuid needs Utf8 or FixedSizeBinary(16).",
                        nameof(schema));
                default:
                    throw new ArgumentException($"Column '{field.Name}' has an unknown {TypeKey} '{Tag(field)}' (known: json, uuid).", nameof(schema));
            }
        }
    }

    /// <summary>
    /// The expressions of the SELECT over the registered Arrow view: every column by name, with
    /// <c>json</c> and <c>uuid</c> tagged columns cast to DuckDB's JSON and UUID.
    /// </summary>
    public static string SelectList(Schema schema) => string.Join(", ", schema.FieldsList.Select(field =>
    {
        var column = Sql.Ident(field.Name);
        return Tag(field) switch
        {
            "json" => $"CAST({column} AS JSON) AS {column}",
            "uuid" when field.DataType.TypeId == ArrowTypeId.FixedSizedBinary => $"CAST(hex({column}) AS UUID) AS {column}",
            "uuid" => $"CAST({column} AS UUID) AS {column}",
            _ => column,
        };
    }));

    /// <summary>Why <paramref name="batch"/> contradicts <paramref name="declared"/>, or null when it does not.</summary>
    public static string? Check(Schema declared, RecordBatch batch)
    {
        var fields = declared.FieldsList;
        if (batch.ColumnCount != fields.Count)
        {
            return $"it has {batch.ColumnCount} columns, declared {fields.Count}";
        }

        if (batch.Length < 0)
        {
            return "its length is negative";
        }

        var batchFields = batch.Schema?.FieldsList;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var name = batchFields is not null && i < batchFields.Count ? batchFields[i].Name : null;
            if (!string.Equals(name, field.Name, StringComparison.Ordinal))
            {
                return $"column {i + 1} is named '{name}', declared '{field.Name}'";
            }

            var data = batch.Column(i)?.Data;
            if (data is null)
            {
                return $"column '{field.Name}' has no array";
            }

            if (!SameType(data.DataType, field.DataType))
            {
                return $"column '{field.Name}' is {Describe(data.DataType)}, declared {Describe(field.DataType)}";
            }

            if (data.Length != batch.Length)
            {
                return $"column '{field.Name}' has {data.Length} values, the batch {batch.Length} rows";
            }

            if (CheckLayout(data, field.DataType) is { } layout)
            {
                return $"column '{field.Name}' is malformed: {layout}";
            }

            if (!field.IsNullable && data.GetNullCount() > 0)
            {
                return $"column '{field.Name}' is declared non-nullable but has {data.GetNullCount()} null(s)";
            }
        }

        return null;
    }

    /// <summary>A readable Arrow type name, e.g. <c>Decimal128(18,2)</c>, <c>Timestamp(us, UTC)</c>, <c>List&lt;Int64&gt;</c>.</summary>
    public static string Describe(IArrowType type) => type switch
    {
        Decimal128Type d => string.Create(CultureInfo.InvariantCulture, $"Decimal128({d.Precision},{d.Scale})"),
        Decimal256Type d => string.Create(CultureInfo.InvariantCulture, $"Decimal256({d.Precision},{d.Scale})"),
        TimestampType t => string.IsNullOrEmpty(t.Timezone) ? $"Timestamp({Unit(t.Unit)})" : $"Timestamp({Unit(t.Unit)}, {t.Timezone})",
        Time32Type t => $"Time32({Unit(t.Unit)})",
        Time64Type t => $"Time64({Unit(t.Unit)})",
        ExtensionType e => $"Extension({e.Name})",
        FixedSizeBinaryType f => string.Create(CultureInfo.InvariantCulture, $"FixedSizeBinary({f.ByteWidth})"),
        ListType l => $"List<{Describe(l.ValueDataType)}>",
        LargeListType l => $"LargeList<{Describe(l.ValueDataType)}>",
        FixedSizeListType l => string.Create(CultureInfo.InvariantCulture, $"FixedSizeList<{Describe(l.ValueDataType)}, {l.ListSize}>"),
        MapType m => $"Map<{Describe(m.KeyField.DataType)}, {Describe(m.ValueField.DataType)}>",
        StructType s => $"Struct<{string.Join(", ", s.Fields.Select(f => $"{f.Name}: {Describe(f.DataType)}"))}>",
        _ => type.TypeId switch
        {
            ArrowTypeId.Boolean => "Bool",
            ArrowTypeId.HalfFloat => "Float16",
            ArrowTypeId.Float => "Float32",
            ArrowTypeId.Double => "Float64",
            ArrowTypeId.String => "Utf8",
            ArrowTypeId.LargeString => "LargeUtf8",
            ArrowTypeId.StringView => "Utf8View",
            _ => type.TypeId.ToString(),
        },
    };

    private static string? Tag(Field field) =>
        field.HasMetadata && field.Metadata.TryGetValue(TypeKey, out var tag) ? tag.Trim().ToLowerInvariant() : null;

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    /// <summary>Why DuckDB's Arrow scan (or this kernel) cannot take <paramref name="type"/>, or null.</summary>
    private static string? Unsupported(IArrowType type)
    {
        switch (type.TypeId)
        {
            case ArrowTypeId.Boolean or ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
                or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64
                or ArrowTypeId.Float or ArrowTypeId.Double or ArrowTypeId.String or ArrowTypeId.LargeString
                or ArrowTypeId.Binary or ArrowTypeId.LargeBinary or ArrowTypeId.FixedSizedBinary
                or ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Timestamp or ArrowTypeId.Time32 or ArrowTypeId.Time64:
                return null;
            case ArrowTypeId.Decimal128:
                return ((Decimal128Type)type).Precision is >= 1 and <= 38 ? null : "precision must be 1 to 38";
            case ArrowTypeId.List:
                return Unsupported(((ListType)type).ValueDataType);
            case ArrowTypeId.LargeList:
                return Unsupported(((LargeListType)type).ValueDataType);
            case ArrowTypeId.Struct:
                var fields = ((StructType)type).Fields;
                if (fields.Count == 0)
                {
                    return "a struct needs at least one field";
                }

                if (fields.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != fields.Count)
                {
                    return "struct field names must be distinct";
                }

                return fields.Select(f => Unsupported(f.DataType)).FirstOrDefault(r => r is not null);
            case ArrowTypeId.Extension:
                return "extension types are not accepted; tag a Utf8 or FixedSizeBinary(16) field with ratatouille.type=uuid, or a Utf8 field with ratatouille.type=json";
            default:
                return "supported: bool, integers, floats, Decimal128, Utf8, LargeUtf8, Binary, LargeBinary, FixedSizeBinary, Date32, Date64, Time32, Time64, Timestamp, List, LargeList, Struct";
        }
    }

    private static bool SameType(IArrowType actual, IArrowType declared)
    {
        if (actual.TypeId != declared.TypeId)
        {
            return false;
        }

        return (actual, declared) switch
        {
            (Decimal128Type a, Decimal128Type d) => a.Precision == d.Precision && a.Scale == d.Scale,
            (TimestampType a, TimestampType d) => a.Unit == d.Unit && string.Equals(a.Timezone ?? string.Empty, d.Timezone ?? string.Empty, StringComparison.Ordinal),
            (TimeBasedType a, TimeBasedType d) => a.Unit == d.Unit,
            (FixedSizeBinaryType a, FixedSizeBinaryType d) => a.ByteWidth == d.ByteWidth,
            (ListType a, ListType d) => SameType(a.ValueDataType, d.ValueDataType),
            (LargeListType a, LargeListType d) => SameType(a.ValueDataType, d.ValueDataType),
            (StructType a, StructType d) => a.Fields.Count == d.Fields.Count
                && a.Fields.Zip(d.Fields).All(p => string.Equals(p.First.Name, p.Second.Name, StringComparison.Ordinal) && SameType(p.First.DataType, p.Second.DataType)),
            _ => true,
        };
    }

    /// <summary>
    /// Checks that the buffers hold what the type and length promise (validity bits, values, offsets
    /// in range and non-decreasing), recursively: DuckDB trusts them and would read out of bounds.
    /// </summary>
    private static string? CheckLayout(ArrayData data, IArrowType type)
    {
        if (data.Length < 0 || data.Offset < 0)
        {
            return "negative length or offset";
        }

        long end = (long)data.Offset + data.Length;
        var buffers = data.Buffers ?? [];
        var expectedBuffers = type.TypeId switch
        {
            ArrowTypeId.Struct => 1,
            ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary => 3,
            _ => 2,
        };
        if (buffers.Length < expectedBuffers)
        {
            return $"{buffers.Length} buffers, expected {expectedBuffers}";
        }

        var nulls = data.GetNullCount();
        if (nulls > 0 && data.Length > 0)
        {
            if (buffers[0].IsEmpty)
            {
                return "nulls counted but no validity bitmap";
            }

            if (buffers[0].Length * 8L < end)
            {
                return "validity bitmap too short";
            }
        }

        if (data.Length == 0 && type.TypeId is not ArrowTypeId.Struct)
        {
            return null;
        }

        switch (type)
        {
            case FixedWidthType fixedWidth:
                return buffers[1].Length * 8L < end * fixedWidth.BitWidth ? "values buffer too short" : null;
            case StringType or BinaryType:
                return CheckOffsets(MemoryMarshal.Cast<byte, int>(buffers[1].Span), data.Offset, data.Length, buffers[2].Length);
            case LargeStringType or LargeBinaryType:
                return CheckOffsets(MemoryMarshal.Cast<byte, long>(buffers[1].Span), data.Offset, data.Length, buffers[2].Length);
            case ListType list:
                return ChildOf(data) is { } child
                    ? CheckOffsets(MemoryMarshal.Cast<byte, int>(buffers[1].Span), data.Offset, data.Length, child.Length) ?? Nested(CheckLayout(child, list.ValueDataType), "list values")
                    : "list without values";
            case LargeListType list:
                return ChildOf(data) is { } largeChild
                    ? CheckOffsets(MemoryMarshal.Cast<byte, long>(buffers[1].Span), data.Offset, data.Length, largeChild.Length) ?? Nested(CheckLayout(largeChild, list.ValueDataType), "list values")
                    : "list without values";
            case StructType structType:
                var children = data.Children ?? [];
                if (children.Length != structType.Fields.Count)
                {
                    return $"{children.Length} struct children, expected {structType.Fields.Count}";
                }

                for (var i = 0; i < children.Length; i++)
                {
                    if (children[i].Length < end)
                    {
                        return $"struct field '{structType.Fields[i].Name}' is shorter than the struct";
                    }

                    if (Nested(CheckLayout(children[i], structType.Fields[i].DataType), $"struct field '{structType.Fields[i].Name}'") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return "unsupported type";
        }
    }

    private static ArrayData? ChildOf(ArrayData data) => data.Children is { Length: 1 } children ? children[0] : null;

    private static string? Nested(string? problem, string where) => problem is null ? null : $"{where}: {problem}";

    private static string? CheckOffsets<T>(ReadOnlySpan<T> offsets, int offset, int length, long limit)
        where T : struct, IComparable<T>, IConvertible
    {
        if (offsets.Length < (long)offset + length + 1)
        {
            return "offsets buffer too short";
        }

        var slice = offsets.Slice(offset, length + 1);
        if (Convert.ToInt64(slice[0], CultureInfo.InvariantCulture) < 0 || Convert.ToInt64(slice[length], CultureInfo.InvariantCulture) > limit)
        {
            return "offsets out of range";
        }

        for (var i = 1; i < slice.Length; i++)
        {
            if (slice[i].CompareTo(slice[i - 1]) < 0)
            {
                return "offsets decrease";
            }
        }

        return null;
    }
}
