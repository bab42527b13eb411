using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>A column of a stream: its name, declared type (as written in the schema) and Arrow mapping.</summary>
internal sealed record SqliteColumn(string Name, string DeclaredType, ColumnKind Kind, bool Nullable, int Precision = 0, int Scale = 0)
{
    public Field ToField() => Kind switch
    {
        ColumnKind.Integer => Columns.Int64(Name, Nullable),
        ColumnKind.Real => Columns.Double(Name, Nullable),
        ColumnKind.Blob => Columns.Binary(Name, Nullable),
        ColumnKind.Boolean => Columns.Boolean(Name, Nullable),
        ColumnKind.Decimal => Columns.Decimal(Name, Precision, Scale, Nullable),
        ColumnKind.Date => Columns.Date(Name, Nullable),
        ColumnKind.Timestamp => Columns.Timestamp(Name, Nullable),
        ColumnKind.TimestampUtc => Columns.TimestampUtc(Name, Nullable),
        _ => Columns.String(Name, Nullable),
    };

    /// <summary>Whether an incremental read can use the column as its cursor (ordered values: numbers, text, dates).</summary>
    public bool CanBeCursor => Kind is not (ColumnKind.Boolean or ColumnKind.Blob);

    /// <summary>The declared type for messages.</summary>
    public string Declared => DeclaredType.Length == 0 ? "no declared type" : DeclaredType;
}
