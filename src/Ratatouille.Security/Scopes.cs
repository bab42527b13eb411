namespace Ratatouille.Security;

/// <summary>What an API key may be limited to. A key without scopes may do all its role allows.</summary>
public static class Scopes
{
    /// <summary>Read-only: the key acts as a viewer whatever its role.</summary>
    public const string ReadOnly = "read-only";

    /// <summary>Push packages to the built-in NuGet feed (and nothing else unless other scopes are given).</summary>
    public const string PackagesPush = "packages:push";

    public static IReadOnlyList<string> All { get; } = [ReadOnly, PackagesPush];
}
