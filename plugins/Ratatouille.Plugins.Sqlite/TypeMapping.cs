using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// Declared column types to Arrow, following SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1)
/// with a few names recognised before them.
/// </summary>
internal static partial class TypeMapping
{
    /// <summary>What the values of a column decide, for declared types that do not decide alone.</summary>
    public enum Needs
    {
        Nothing,

        /// <summary>No declared type: the storage classes of the values decide.</summary>
        StorageClasses,

        /// <summary>DATE: a date when the values are dates, else a timestamp when they are date-times, else text.</summary>
        DateValues,

        /// <summary>DATETIME/TIMESTAMP: a timestamp when the values are date-times, else text.</summary>
        TimestampValues,
    }

    /// <summary>
    /// BOOL/BOOLEAN → Boolean; DECIMAL(p,s)/NUMERIC(p,s) with p ≤ 38 → Decimal128(p,s); DATE, DATETIME, TIMESTAMP →
    /// decided by the values; then the affinity rules: contains INT → Int64; CHAR, CLOB or TEXT → String; BLOB → Binary;
    /// REAL, FLOA or DOUB → Double; no type → decided by the values; anything else (NUMERIC affinity) → Double.
    /// </summary>
    public static (ColumnKind Kind, int Precision, int Scale, Needs Needs) FromDeclared(string declared)
    {
        var type = declared.Trim().ToUpperInvariant();
        var name = BaseName().Match(type).Value.Trim();
        if (name is "BOOL" or "BOOLEAN")
        {
            return (ColumnKind.Boolean, 0, 0, Needs.Nothing);
        }

        if (Decimal().Match(type) is { Success: true } decimalMatch)
        {
            var precision = int.Parse(decimalMatch.Groups["p"].Value, CultureInfo.InvariantCulture);
            var scale = decimalMatch.Groups["s"].Success ? int.Parse(decimalMatch.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            if (precision is >= 1 and <= 38 && scale <= precision)
            {
                return (ColumnKind.Decimal, precision, scale, Needs.Nothing);
            }
        }

        if (name == "DATE")
        {
            return (ColumnKind.Text, 0, 0, Needs.DateValues);
        }

        if (name is "DATETIME" or "TIMESTAMP" || name.StartsWith("TIMESTAMP ", StringComparison.Ordinal))
        {
            return (ColumnKind.Text, 0, 0, Needs.TimestampValues);
        }

        if (type.Contains("INT", StringComparison.Ordinal))
        {
            return (ColumnKind.Integer, 0, 0, Needs.Nothing);
        }

        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
        {
            return (ColumnKind.Text, 0, 0, Needs.Nothing);
        }

        if (type.Length == 0)
        {
            return (ColumnKind.Text, 0, 0, Needs.StorageClasses);
        }

        if (type.Contains("BLOB", StringComparison.Ordinal))
        {
            return (ColumnKind.Blob, 0, 0, Needs.Nothing);
        }

        return (ColumnKind.Real, 0, 0, Needs.Nothing);
    }

    /// <summary>
    /// The kind for a column without a declared type from the storage classes of sampled values: integers → Int64,
    /// integers and reals → Double, blobs only → Binary, anything else (text, mixes, nothing seen) → String.
    /// </summary>
    public static ColumnKind FromStorageClasses(IReadOnlySet<string> classes) => classes switch
    {
        _ when classes.SetEquals(["integer"]) => ColumnKind.Integer,
        _ when classes.Count > 0 && classes.IsSubsetOf(["integer", "real"]) => ColumnKind.Real,
        _ when classes.SetEquals(["blob"]) => ColumnKind.Blob,
        _ => ColumnKind.Text,
    };

    [GeneratedRegex(@"^[A-Z_ ]*", RegexOptions.CultureInvariant)]
    private static partial Regex BaseName();

    [GeneratedRegex(@"^(DECIMAL|NUMERIC)\s*\(\s*(?<p>\d{1,3})\s*(,\s*(?<s>\d{1,3})\s*)?\)", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();
}
