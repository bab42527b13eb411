namespace Ratatouille.Web.Services;

/// <summary>A column of a discovered stream, typed as the catalog will store it.</summary>
public sealed record StreamColumnView(string Name, string Type, bool Nullable);
