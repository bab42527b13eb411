using Apache.Arrow;
using Apache.Arrow.Types;

namespace Ratatouille.Sdk;

/// <summary>
/// Shorthands for the Arrow fields streams are made of, and the logical types Arrow lacks
/// (JSON and UUID travel as UTF-8 text marked with field metadata; the platform stores them as
/// DuckDB <c>JSON</c> and <c>UUID</c>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The factories are named after the column types they make, like Arrow's own.")]
public static class Columns
{
    /// <summary>Field metadata key naming a logical type (<see cref="JsonType"/> or <see cref="UuidType"/>).</summary>
    public const string LogicalTypeKey = "ratatouille.type";

    /// <summary>Logical type: JSON text.</summary>
    public const string JsonType = "json";

    /// <summary>Logical type: a UUID as text (<c>xxxxxxxx-xxxx-…</c>).</summary>
    public const string UuidType = "uuid";

    /// <summary>true/false.</summary>
    public static Field Boolean(string name, bool nullable = true) => new(name, BooleanType.Default, nullable);

    /// <summary>32-bit integer.</summary>
    public static Field Int32(string name, bool nullable = true) => new(name, Int32Type.Default, nullable);

    /// <summary>64-bit integer.</summary>
    public static Field Int64(string name, bool nullable = true) => new(name, Int64Type.Default, nullable);

    /// <summary>64-bit floating point.</summary>
    public static Field Double(string name, bool nullable = true) => new(name, DoubleType.Default, nullable);

    /// <summary>Exact decimal with <paramref name="precision"/> digits (at most 38), <paramref name="scale"/> after the point.</summary>
    public static Field Decimal(string name, int precision, int scale, bool nullable = true) => new(name, new Decimal128Type(precision, scale), nullable);

    /// <summary>UTF-8 text.</summary>
    public static Field String(string name, bool nullable = true) => new(name, StringType.Default, nullable);

    /// <summary>Bytes.</summary>
    public static Field Binary(string name, bool nullable = true) => new(name, BinaryType.Default, nullable);

    /// <summary>A calendar date.</summary>
    public static Field Date(string name, bool nullable = true) => new(name, Date32Type.Default, nullable);

    /// <summary>A date and time without time zone (microseconds).</summary>
    public static Field Timestamp(string name, bool nullable = true) => new(name, new TimestampType(TimeUnit.Microsecond, (string?)null), nullable);

    /// <summary>An instant (microseconds, stored as UTC; DuckDB <c>TIMESTAMPTZ</c>).</summary>
    public static Field TimestampUtc(string name, bool nullable = true) => new(name, new TimestampType(TimeUnit.Microsecond, "UTC"), nullable);

    /// <summary>JSON text (DuckDB <c>JSON</c>).</summary>
    public static Field Json(string name, bool nullable = true) =>
        new(name, StringType.Default, nullable, [new KeyValuePair<string, string>(LogicalTypeKey, JsonType)]);

    /// <summary>A UUID as text (DuckDB <c>UUID</c>).</summary>
    public static Field Uuid(string name, bool nullable = true) =>
        new(name, StringType.Default, nullable, [new KeyValuePair<string, string>(LogicalTypeKey, UuidType)]);

    /// <summary>A list of <paramref name="elementType"/> values (elements may be null).</summary>
    public static Field List(string name, IArrowType elementType, bool nullable = true) =>
        new(name, new ListType(new Field("item", elementType, true)), nullable);

    /// <summary>The logical type in a field's metadata (<see cref="JsonType"/>, <see cref="UuidType"/>), or null.</summary>
    public static string? LogicalType(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.HasMetadata && field.Metadata.TryGetValue(LogicalTypeKey, out var value) ? value : null;
    }

    /// <summary>A schema from fields.</summary>
    public static Schema Schema(params IEnumerable<Field> fields) => new(fields, null);
}
