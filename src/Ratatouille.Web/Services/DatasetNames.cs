using System.Text;

namespace Ratatouille.Web.Services;

public static class DatasetNames
{
    /// <summary>A valid dataset name from a file name: <c>My Orders 2024.csv</c> → <c>my_orders_2024</c>.</summary>
    public static string Suggest(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
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
