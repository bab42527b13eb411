namespace Ratatouille.Security;

/// <summary>
/// The three roles, ordered: each includes what the one below may do. Finer grants (per layer or
/// dataset) can come later as extra requirements on top of the role, without changing this.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Editor, Admin];

    /// <summary>0 viewer, 1 editor, 2 admin; -1 for anything else.</summary>
    public static int Rank(string? role) => role switch
    {
        Viewer => 0,
        Editor => 1,
        Admin => 2,
        _ => -1,
    };

    public static bool IsValid(string? role) => Rank(role) >= 0;

    /// <summary>The lower of two roles.</summary>
    public static string Min(string a, string b) => Rank(a) <= Rank(b) ? a : b;
}
