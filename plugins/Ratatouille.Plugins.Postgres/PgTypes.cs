using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Ratatouille.Plugins.Postgres;

/// <summary>
/// The pg_type rows a set of columns needs (domains resolved to their base type, arrays to their element
/// type), and the mapping from a PostgreSQL type to a <see cref="PgValueKind"/>. Built-in types are known by
/// their fixed OIDs, so the mapping does not depend on search_path or type names.
/// </summary>
internal sealed class PgTypes
{
    private const int MaxDomainDepth = 16;

    private readonly Dictionary<uint, TypeRow> _rows = [];

    /// <summary>A column's type resolved: what to read, and how it becomes Arrow.</summary>
    public sealed record Mapping(PgValueKind Kind, bool IsArray, int Precision, int Scale, string? CursorType, string? Note);

    private sealed record TypeRow(uint Oid, string Name, char TypType, char Category, uint Element, uint BaseType, int TypMod);

    /// <summary>Loads the pg_type rows of <paramref name="oids"/>, their base types and element types.</summary>
    public async Task LoadAsync(NpgsqlConnection connection, IEnumerable<uint> oids, CancellationToken cancellationToken)
    {
        var missing = oids.Where(o => !_rows.ContainsKey(o)).Distinct().ToArray();
        for (var round = 0; missing.Length > 0 && round < MaxDomainDepth; round++)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT t.oid, pg_catalog.format_type(t.oid, NULL), t.typtype::text, t.typcategory::text, t.typelem, t.typbasetype, t.typtypmod
                FROM pg_catalog.pg_type t
                WHERE t.oid = ANY(@oids)
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter("oids", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = missing });
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new TypeRow(
                        reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetString(2)[0], reader.GetString(3)[0],
                        reader.GetFieldValue<uint>(4), reader.GetFieldValue<uint>(5), reader.GetInt32(6));
                    _rows[row.Oid] = row;
                }
            }

            missing = missing.Where(_rows.ContainsKey)
                .SelectMany(o => new[] { _rows[o].Element, _rows[o].BaseType })
                .Where(o => o != 0 && !_rows.ContainsKey(o))
                .Distinct()
                .ToArray();
        }
    }

    /// <summary>The mapping of a column of type <paramref name="oid"/> with modifier <paramref name="typmod"/>.</summary>
    public Mapping Resolve(uint oid, int typmod)
    {
        var (row, mod) = Base(oid, typmod);
        if (row is { Category: 'A', Element: not 0 })
        {
            // An array's typmod is its element's (numeric(10,2)[] carries 10,2).
            var (element, elementMod) = Base(row.Element, mod);
            var scalar = Scalar(element.Oid, element, elementMod);
            return scalar.Kind switch
            {
                PgValueKind.Json or PgValueKind.Jsonb or PgValueKind.Uuid => scalar with
                {
                    Kind = PgValueKind.TextCast,
                    IsArray = true,
                    CursorType = null,
                    Note = $"{element.Name}[] as a list of text",
                },
                _ => scalar with { IsArray = true, CursorType = null, Note = scalar.Note is null ? null : $"elements: {scalar.Note}" },
            };
        }

        return Scalar(row.Oid, row, mod);
    }

    /// <summary>The type's name as the server writes it (format_type), e.g. <c>shop.order_status</c>.</summary>
    public string Name(uint oid) => Row(oid).Name;

    private (TypeRow Row, int TypMod) Base(uint oid, int typmod)
    {
        var row = Row(oid);
        for (var depth = 0; row.TypType == 'd' && depth < MaxDomainDepth; depth++)
        {
            // A domain column has typmod -1; the domain's own typtypmod holds e.g. numeric(10,2).
            if (typmod < 0)
            {
                typmod = row.TypMod;
            }

            row = Row(row.BaseType);
        }

        return (row, typmod);
    }

    private TypeRow Row(uint oid) =>
        _rows.TryGetValue(oid, out var row) ? row : throw new InvalidOperationException($"Type {oid} was not loaded.");

    private static Mapping Scalar(uint oid, TypeRow row, int typmod)
    {
        return oid switch
        {
            Oids.Bool => Simple(PgValueKind.Boolean),
            Oids.Int2 => Simple(PgValueKind.Int16, cursor: row.Name),
            Oids.Int4 => Simple(PgValueKind.Int32, cursor: row.Name),
            Oids.Int8 => Simple(PgValueKind.Int64, cursor: row.Name),
            Oids.Float4 => Simple(PgValueKind.Float32),
            Oids.Float8 => Simple(PgValueKind.Float64),
            Oids.Numeric => Numeric(typmod),
            Oids.Text or Oids.Varchar or Oids.Bpchar or Oids.Name => Simple(PgValueKind.Text),
            Oids.Json => Simple(PgValueKind.Json),
            Oids.Jsonb => Simple(PgValueKind.Jsonb),
            Oids.Uuid => Simple(PgValueKind.Uuid),
            Oids.Bytea => Simple(PgValueKind.Bytea),
            Oids.Date => Simple(PgValueKind.Date, cursor: row.Name),
            Oids.Timestamp => Simple(PgValueKind.Timestamp, cursor: row.Name),
            Oids.TimestampTz => Simple(PgValueKind.TimestampTz, cursor: row.Name),
            Oids.Time => Simple(PgValueKind.TextCast, note: "time of day as ISO 8601 text (HH:MM:SS[.ffffff])"),
            Oids.TimeTz => Simple(PgValueKind.TextCast, note: "time of day with offset as ISO 8601 text (HH:MM:SS[.ffffff]+hh[:mm])"),
            Oids.Interval => Simple(PgValueKind.TextCast, note: "interval as ISO 8601 duration text (e.g. P1Y2M3DT4H5M6S)"),
            _ when row.TypType == 'e' => Simple(PgValueKind.TextCast, note: $"enum {row.Name}: its label as text"),
            _ => Simple(PgValueKind.TextCast, note: $"{row.Name} in PostgreSQL's text form"),
        };

        static Mapping Numeric(int typmod)
        {
            if (typmod >= 4)
            {
                var precision = ((typmod - 4) >> 16) & 0xffff;

                // PostgreSQL 15 allows negative scales and scales above the precision; the low 11 bits are signed.
                var scale = (typmod - 4) & 0x7ff;
                if ((scale & 0x400) != 0)
                {
                    scale -= 0x800;
                }

                if (precision is >= 1 and <= 38 && scale >= 0 && scale <= precision)
                {
                    return new Mapping(precision <= 28 ? PgValueKind.Decimal : PgValueKind.WideDecimal, false, precision, scale, "numeric", null);
                }

                return new Mapping(PgValueKind.TextCast, false, 0, 0, "numeric",
                    string.Create(CultureInfo.InvariantCulture, $"numeric({precision},{scale}) exceeds Decimal128(38, 0..38): exact decimal text"));
            }

            return new Mapping(PgValueKind.TextCast, false, 0, 0, "numeric", "numeric without precision: exact decimal text (Decimal128 needs a fixed precision and scale)");
        }

        static Mapping Simple(PgValueKind kind, string? cursor = null, string? note = null) => new(kind, false, 0, 0, cursor, note);
    }

    /// <summary>The fixed OIDs of the built-in types (pg_type.dat; the same on every server since 8.x).</summary>
    private static class Oids
    {
        public const uint Bool = 16;
        public const uint Bytea = 17;
        public const uint Name = 19;
        public const uint Int8 = 20;
        public const uint Int2 = 21;
        public const uint Int4 = 23;
        public const uint Text = 25;
        public const uint Json = 114;
        public const uint Float4 = 700;
        public const uint Float8 = 701;
        public const uint Bpchar = 1042;
        public const uint Varchar = 1043;
        public const uint Date = 1082;
        public const uint Time = 1083;
        public const uint Timestamp = 1114;
        public const uint TimestampTz = 1184;
        public const uint Interval = 1186;
        public const uint TimeTz = 1266;
        public const uint Numeric = 1700;
        public const uint Uuid = 2950;
        public const uint Jsonb = 3802;
    }
}
