namespace Ratatouille.Plugins.Sqlite;

/// <summary>Where a stream's rows come from.</summary>
internal enum SourceKind
{
    Table,
    View,
    Query,
}
