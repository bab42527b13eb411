namespace Ratatouille.Plugins.Sqlite;

/// <summary>What a SQLite column becomes in Arrow.</summary>
internal enum ColumnKind
{
    Integer,
    Real,
    Text,
    Blob,
    Boolean,
    Decimal,
    Date,
    Timestamp,
    TimestampUtc,
}
