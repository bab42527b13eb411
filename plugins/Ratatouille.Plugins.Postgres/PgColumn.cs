using Apache.Arrow;
using Apache.Arrow.Types;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>A column of a stream: where it comes from in PostgreSQL and what it becomes in Arrow.</summary>
internal sealed record PgColumn
{
    /// <summary>Field metadata key holding the PostgreSQL type, e.g. <c>numeric(12,2)</c>.</summary>
    public const string PostgresTypeKey = "postgres.type";

    /// <summary>Field metadata key holding a sentence about how the value is represented.</summary>
    public const string DescriptionKey = "description";

    /// <summary>The PostgreSQL column name.</summary>
    public required string Name { get; init; }

    /// <summary>The Arrow field name: <see cref="Name"/>, unless another column differs from it only by case.</summary>
    public required string FieldName { get; init; }

    /// <summary>The PostgreSQL type as the server writes it (<c>format_type</c>).</summary>
    public required string TypeName { get; init; }

    /// <summary>The kind of the value, or of each element when <see cref="IsArray"/>.</summary>
    public required PgValueKind Kind { get; init; }

    public bool IsArray { get; init; }

    /// <summary>Decimal precision and scale (for <see cref="PgValueKind.Decimal"/> and <see cref="PgValueKind.WideDecimal"/>).</summary>
    public int Precision { get; init; }

    public int Scale { get; init; }

    public bool Nullable { get; init; } = true;

    /// <summary>
    /// The built-in type a saved cursor value is cast to (e.g. <c>timestamp with time zone</c>), or null when
    /// the column cannot be a cursor.
    /// </summary>
    public string? CursorType { get; init; }

    /// <summary>How the value is represented, when that is not obvious from the Arrow type (lossless text forms).</summary>
    public string? Note { get; init; }

    /// <summary>Filled by a sequence or an identity (serial, bigserial, GENERATED … AS IDENTITY).</summary>
    public bool IsSerial { get; init; }

    /// <summary>1-based position in the primary key, or 0.</summary>
    public int PrimaryKeyPosition { get; init; }

    public bool IsCursorCandidate => CursorType is not null;

    public bool IsTemporal => !IsArray && Kind is PgValueKind.Date or PgValueKind.Timestamp or PgValueKind.TimestampTz;

    public bool IsInteger => !IsArray && Kind is PgValueKind.Int16 or PgValueKind.Int32 or PgValueKind.Int64;

    /// <summary>The expression in the COPY's SELECT list, over the relation aliased <paramref name="alias"/>.</summary>
    public string SelectExpression(string alias)
    {
        var column = $"{alias}.{Sql.Ident(Name)}";
        return Kind is PgValueKind.TextCast or PgValueKind.WideDecimal
            ? column + (IsArray ? "::text[]" : "::text")
            : column;
    }

    /// <summary>The Arrow field, with the PostgreSQL type (and a note on lossless text forms) in its metadata.</summary>
    public Field ToField()
    {
        var field = IsArray
            ? Columns.List(FieldName, ElementType(), Nullable)
            : Kind switch
            {
                PgValueKind.Boolean => Columns.Boolean(FieldName, Nullable),
                PgValueKind.Int16 or PgValueKind.Int32 => Columns.Int32(FieldName, Nullable),
                PgValueKind.Int64 => Columns.Int64(FieldName, Nullable),
                PgValueKind.Float32 or PgValueKind.Float64 => Columns.Double(FieldName, Nullable),
                PgValueKind.Decimal or PgValueKind.WideDecimal => Columns.Decimal(FieldName, Precision, Scale, Nullable),
                PgValueKind.Text or PgValueKind.TextCast => Columns.String(FieldName, Nullable),
                PgValueKind.Json or PgValueKind.Jsonb => Columns.Json(FieldName, Nullable),
                PgValueKind.Uuid => Columns.Uuid(FieldName, Nullable),
                PgValueKind.Bytea => Columns.Binary(FieldName, Nullable),
                PgValueKind.Date => Columns.Date(FieldName, Nullable),
                PgValueKind.Timestamp => Columns.Timestamp(FieldName, Nullable),
                PgValueKind.TimestampTz => Columns.TimestampUtc(FieldName, Nullable),
                _ => throw new InvalidOperationException($"No Arrow type for {Kind}."),
            };

        var metadata = new List<KeyValuePair<string, string>>();
        if (field.HasMetadata)
        {
            metadata.AddRange(field.Metadata);
        }

        metadata.Add(new(PostgresTypeKey, TypeName));
        if (Note is not null)
        {
            metadata.Add(new(DescriptionKey, Note));
        }

        if (FieldName != Name)
        {
            metadata.Add(new("postgres.column", Name));
        }

        return new Field(field.Name, field.DataType, field.IsNullable, metadata);
    }

    /// <summary>The Arrow type of one element of an array column.</summary>
    public IArrowType ElementType() => Kind switch
    {
        PgValueKind.Boolean => BooleanType.Default,
        PgValueKind.Int16 or PgValueKind.Int32 => Int32Type.Default,
        PgValueKind.Int64 => Int64Type.Default,
        PgValueKind.Float32 or PgValueKind.Float64 => DoubleType.Default,
        PgValueKind.Decimal or PgValueKind.WideDecimal => new Decimal128Type(Precision, Scale),
        PgValueKind.Text or PgValueKind.TextCast => StringType.Default,
        PgValueKind.Bytea => BinaryType.Default,
        PgValueKind.Date => Date32Type.Default,
        PgValueKind.Timestamp => Columns.Timestamp("item").DataType,
        PgValueKind.TimestampTz => Columns.TimestampUtc("item").DataType,
        _ => throw new InvalidOperationException($"Arrays of {Kind} are read as text arrays."),
    };
}
