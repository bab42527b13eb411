using System.Text;

namespace Ratatouille.Web.Services;

public static class DatasetNames
{
    /// <summary>A valid dataset name from a file name: <c>My Orders 2024.csv</c> → <c>my_orders_2024</c>.</summary>
    public static string Suggest(string fileName) => Sanitize(Path.GetFileNameWithoutExtension(fileName));

    /// <summary>The bronze dataset an extract of <paramref name="stream"/> lands in by default: <c>public.Orders</c> → <c>bronze.public_orders</c>.</summary>
    public static string ForStream(string stream) => "bronze." + Sanitize(stream);

    /// <summary>Lowercase letters, digits and underscores, starting with a letter, at most 63 characters.</summary>
    private static string Sanitize(string text)
    {
        var stem = text.ToLowerInvariant();
        var builder = new StringBuilder();
        foreach (var c in stem)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_';
            if (ok)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var name = builder.ToString().Trim('_');
        if (name.Length == 0 || name[0] is < 'a' or > 'z')
        {
            name = "t_" + name;
        }

        return name.Length > 63 ? name[..63].TrimEnd('_') : name;
    }
}
