namespace Ratatouille.Plugins.Postgres;

/// <summary>How a column's values travel from the binary COPY into Arrow (for arrays: how each element does).</summary>
internal enum PgValueKind
{
    Boolean,

    /// <summary>smallint, widened to Arrow Int32 (the SDK's column types have no Int16).</summary>
    Int16,
    Int32,
    Int64,

    /// <summary>real, widened to Arrow Double (exactly: every float is a double).</summary>
    Float32,
    Float64,

    /// <summary>numeric(p,s) with p ≤ 28: read as System.Decimal, which holds it exactly.</summary>
    Decimal,

    /// <summary>numeric(p,s) with 28 &lt; p ≤ 38: more digits than System.Decimal holds, so the server sends text and Arrow parses it.</summary>
    WideDecimal,

    /// <summary>text, varchar, char(n), name: read as they are.</summary>
    Text,

    /// <summary>Any other type: the server casts it to text (enums, time, interval as ISO 8601, unconstrained numeric, …).</summary>
    TextCast,
    Json,
    Jsonb,
    Uuid,
    Bytea,
    Date,
    Timestamp,
    TimestampTz,
}
