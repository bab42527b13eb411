using Apache.Arrow;

namespace Ratatouille.Sdk.Testing;

/// <summary>Reads Arrow values as plain .NET objects, for assertions.</summary>
public static class ArrowValues
{
    /// <summary>
    /// The value at <paramref name="index"/>: null, a number, bool, string, byte[], <see cref="DateOnly"/>,
    /// <see cref="DateTimeOffset"/> (timestamps), decimal (or its exact text when it exceeds
    /// <see cref="decimal"/>'s range, e.g. DECIMAL(38,10)), or a list of such values.
    /// </summary>
    public static object? Get(IArrowArray array, int index)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            BooleanArray a => a.GetValue(index),
            Int8Array a => a.GetValue(index),
            Int16Array a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int64Array a => a.GetValue(index),
            UInt8Array a => a.GetValue(index),
            UInt16Array a => a.GetValue(index),
            UInt32Array a => a.GetValue(index),
            UInt64Array a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            Decimal128Array a => ReadDecimal(a, index),
            StringArray a => a.GetString(index),
            LargeStringArray a => a.GetString(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            Date32Array a => a.GetDateOnly(index),
            Date64Array a => a.GetDateOnly(index),
            TimestampArray a => a.GetTimestamp(index),
            ListArray a => ToList(a.GetSlicedValues(index)),
            StructArray a => a.Fields.Select((f, i) => (Name: ((Apache.Arrow.Types.StructType)a.Data.DataType).Fields[i].Name, Value: Get(f, index)))
                .ToDictionary(p => p.Name, p => p.Value),
            _ => throw new NotSupportedException($"ArrowValues cannot read {array.Data.DataType.Name}."),
        };
    }

    /// <summary>The rows of a batch as dictionaries keyed by column name.</summary>
    public static IEnumerable<IReadOnlyDictionary<string, object?>> Rows(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var row = 0; row < batch.Length; row++)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var column = 0; column < batch.ColumnCount; column++)
            {
                values[batch.Schema.FieldsList[column].Name] = Get(batch.Column(column), row);
            }

            yield return values;
        }
    }

    /// <summary>
    /// Why <paramref name="actual"/> contradicts <paramref name="declared"/> (column names and order,
    /// types, logical types), or null when it does not.
    /// </summary>
    public static string? SchemaMismatch(Schema declared, Schema actual)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(actual);
        if (declared.FieldsList.Count != actual.FieldsList.Count)
        {
            return $"{actual.FieldsList.Count} columns, declared {declared.FieldsList.Count}";
        }

        for (var i = 0; i < declared.FieldsList.Count; i++)
        {
            var (d, a) = (declared.FieldsList[i], actual.FieldsList[i]);
            if (d.Name != a.Name)
            {
                return $"column {i} is '{a.Name}', declared '{d.Name}'";
            }

            if (!SameType(d.DataType, a.DataType))
            {
                return $"column '{d.Name}' is {a.DataType.Name}, declared {d.DataType.Name}";
            }
        }

        return null;
    }

    private static bool SameType(Apache.Arrow.Types.IArrowType x, Apache.Arrow.Types.IArrowType y) => (x, y) switch
    {
        (Apache.Arrow.Types.Decimal128Type a, Apache.Arrow.Types.Decimal128Type b) => a.Precision == b.Precision && a.Scale == b.Scale,
        (Apache.Arrow.Types.TimestampType a, Apache.Arrow.Types.TimestampType b) => a.Unit == b.Unit && string.IsNullOrEmpty(a.Timezone) == string.IsNullOrEmpty(b.Timezone),
        (Apache.Arrow.Types.ListType a, Apache.Arrow.Types.ListType b) => SameType(a.ValueDataType, b.ValueDataType),
        (Apache.Arrow.Types.StructType a, Apache.Arrow.Types.StructType b) => a.Fields.Count == b.Fields.Count
            && a.Fields.Zip(b.Fields).All(p => p.First.Name == p.Second.Name && SameType(p.First.DataType, p.Second.DataType)),
        _ => x.TypeId == y.TypeId,
    };

    /// <summary>A <see cref="decimal"/> when it fits (28–29 digits), else the exact value as text.</summary>
    private static object? ReadDecimal(Decimal128Array array, int index)
    {
        try
        {
            return array.GetValue(index);
        }
        catch (OverflowException)
        {
            return array.GetString(index);
        }
    }

    private static List<object?> ToList(IArrowArray values)
    {
        var list = new List<object?>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            list.Add(Get(values, i));
        }

        return list;
    }
}
