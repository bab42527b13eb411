using System.Globalization;
using System.Text.RegularExpressions;
using Ratatouille.Catalog.Model;

namespace Ratatouille.Catalog;

/// <summary>
/// Decides how an appended file's schema combines with a dataset's schema: new columns are
/// added (older rows read them as NULL), a column may widen (INTEGER → BIGINT, FLOAT →
/// DOUBLE, DATE → TIMESTAMP, any → VARCHAR…), anything else is a conflict.
/// </summary>
public static partial class SchemaEvolution
{
    private static readonly string[] Signed = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"];
    private static readonly string[] Unsigned = ["UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];
    private static readonly Dictionary<string, int> IntegerDigits = new(StringComparer.Ordinal)
    {
        ["TINYINT"] = 3, ["SMALLINT"] = 5, ["INTEGER"] = 10, ["BIGINT"] = 19, ["HUGEINT"] = 39,
        ["UTINYINT"] = 3, ["USMALLINT"] = 5, ["UINTEGER"] = 10, ["UBIGINT"] = 20, ["UHUGEINT"] = 39,
    };

    /// <summary>The dataset schema after appending data of schema <paramref name="incoming"/>.</summary>
    /// <exception cref="CatalogException">A column changed type incompatibly; nothing may be written.</exception>
    public static IReadOnlyList<ColumnSchema> MergeForAppend(IReadOnlyList<ColumnSchema> existing, IReadOnlyList<ColumnSchema> incoming)
    {
        var merged = existing.ToList();
        var conflicts = new List<string>();
        foreach (var column in incoming)
        {
            var index = merged.FindIndex(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                merged.Add(column);
                continue;
            }

            var current = merged[index];
            if (SameType(current.Type, column.Type) || CanWiden(column.Type, current.Type))
            {
                continue;
            }

            // Widening the dataset's column to text would silently change what existing rows mean: refuse it.
            if (Normalise(column.Type) != "VARCHAR" && CanWiden(current.Type, column.Type))
            {
                merged[index] = current with { Type = column.Type };
                continue;
            }

            conflicts.Add($"column '{current.Name}' is {current.Type} in the dataset but {column.Type} in the new data");
        }

        if (conflicts.Count > 0)
        {
            throw new CatalogException(
                CatalogError.SchemaConflict,
                "Incompatible schema change, nothing was written: " + string.Join("; ", conflicts) +
                ". Cast the column in the source, or write with mode=replace to redefine the dataset.");
        }

        return merged;
    }

    /// <summary>True when every value of type <paramref name="from"/> is representable in <paramref name="to"/>.</summary>
    public static bool CanWiden(string from, string to)
    {
        from = Normalise(from);
        to = Normalise(to);
        if (from == to || to == "VARCHAR")
        {
            return true;
        }

        if (Rank(Signed, from) is var fs and >= 0 && Rank(Signed, to) is var ts and >= 0)
        {
            return ts >= fs;
        }

        if (Rank(Unsigned, from) is var fu and >= 0)
        {
            if (Rank(Unsigned, to) is var tu and >= 0)
            {
                return tu >= fu;
            }

            if (Rank(Signed, to) is var tsu and >= 0)
            {
                return tsu > fu;
            }
        }

        if (from == "FLOAT" && to == "DOUBLE")
        {
            return true;
        }

        if (IntegerDigits.TryGetValue(from, out var digits))
        {
            if (to == "DOUBLE" || (to == "FLOAT" && digits <= 5))
            {
                return true;
            }

            if (TryDecimal(to, out var tp, out var tsc))
            {
                return tp - tsc >= digits;
            }
        }

        if (TryDecimal(from, out var fp, out var fsc))
        {
            if (TryDecimal(to, out var p2, out var s2))
            {
                return s2 >= fsc && p2 - s2 >= fp - fsc;
            }

            return to == "DOUBLE";
        }

        return (from, to) switch
        {
            ("DATE", "TIMESTAMP") => true,
            ("DATE", "TIMESTAMP WITH TIME ZONE") => true,
            ("TIMESTAMP_S", "TIMESTAMP") or ("TIMESTAMP_MS", "TIMESTAMP") => true,
            _ => false,
        };
    }

    private static bool SameType(string a, string b) => Normalise(a) == Normalise(b);

    private static string Normalise(string type)
    {
        var t = type.Trim().ToUpperInvariant();
        return t switch
        {
            "INT" or "INT4" or "SIGNED" => "INTEGER",
            "INT8" or "LONG" => "BIGINT",
            "INT2" or "SHORT" => "SMALLINT",
            "INT1" => "TINYINT",
            "REAL" or "FLOAT4" => "FLOAT",
            "FLOAT8" => "DOUBLE",
            "TEXT" or "STRING" => "VARCHAR",
            "TIMESTAMPTZ" => "TIMESTAMP WITH TIME ZONE",
            "DATETIME" => "TIMESTAMP",
            _ => t,
        };
    }

    private static int Rank(string[] family, string type) => Array.IndexOf(family, type);

    private static bool TryDecimal(string type, out int precision, out int scale)
    {
        var match = DecimalPattern().Match(type);
        if (match.Success)
        {
            precision = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            scale = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return true;
        }

        precision = scale = 0;
        return false;
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
