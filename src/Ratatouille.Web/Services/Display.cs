using System.Globalization;

namespace Ratatouille.Web.Services;

/// <summary>Human-readable figures, the same on every page.</summary>
public static class Display
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rows(long count) => Count(count) + (count == 1 ? " row" : " rows");

    /// <summary>Catalog times are UTC; say so rather than guess the browser's zone on the server.</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static bool IsNumeric(string duckDbType)
    {
        var type = duckDbType.ToUpperInvariant();
        return type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER"
            or "UBIGINT" or "UHUGEINT" or "FLOAT" or "DOUBLE" or "REAL"
            || type.StartsWith("DECIMAL", StringComparison.Ordinal);
    }
}
