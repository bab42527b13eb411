using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>A column of a stream: its name, the record key it comes from, its type and nullability.</summary>
internal sealed record ColumnSpec(string Name, string Key, HttpFieldType Type, bool Nullable)
{
    public Field ToField() => Type switch
    {
        HttpFieldType.Integer => Columns.Int64(Name, Nullable),
        HttpFieldType.Number => Columns.Double(Name, Nullable),
        HttpFieldType.Boolean => Columns.Boolean(Name, Nullable),
        HttpFieldType.Timestamp => Columns.TimestampUtc(Name, Nullable),
        HttpFieldType.Json => Columns.Json(Name, Nullable),
        _ => Columns.String(Name, Nullable),
    };
}
