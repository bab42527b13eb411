using Apache.Arrow;
using Apache.Arrow.Types;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins;

/// <summary>How a stream's Arrow columns are stored, in DuckDB's type names (what users see in the catalog).</summary>
public static class ArrowTypeNames
{
    public static string Describe(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Columns.LogicalType(field) switch
        {
            Columns.JsonType => "JSON",
            Columns.UuidType => "UUID",
            _ => Describe(field.DataType),
        };
    }

    public static string Describe(IArrowType type) => type switch
    {
        BooleanType => "BOOLEAN",
        Int8Type => "TINYINT",
        Int16Type => "SMALLINT",
        Int32Type => "INTEGER",
        Int64Type => "BIGINT",
        UInt8Type => "UTINYINT",
        UInt16Type => "USMALLINT",
        UInt32Type => "UINTEGER",
        UInt64Type => "UBIGINT",
        HalfFloatType or FloatType => "FLOAT",
        DoubleType => "DOUBLE",
        Decimal128Type d => $"DECIMAL({d.Precision},{d.Scale})",
        Decimal256Type d => $"DECIMAL({d.Precision},{d.Scale})",
        StringType or LargeStringType or StringViewType => "VARCHAR",
        BinaryType or LargeBinaryType or BinaryViewType or FixedSizeBinaryType => "BLOB",
        Date32Type or Date64Type => "DATE",
        Time32Type or Time64Type => "TIME",
        TimestampType { Timezone: { Length: > 0 } } => "TIMESTAMPTZ",
        TimestampType => "TIMESTAMP",
        IntervalType or DurationType => "INTERVAL",
        ListType list => Describe(list.ValueField) + "[]",
        StructType s => "STRUCT(" + string.Join(", ", s.Fields.Select(f => $"{f.Name} {Describe(f)}")) + ")",
        MapType m => $"MAP({Describe(m.KeyField)}, {Describe(m.ValueField)})",
        _ => type.Name.ToUpperInvariant(),
    };
}
