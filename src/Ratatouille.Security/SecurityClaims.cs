namespace Ratatouille.Security;

/// <summary>Claim types the platform adds to a signed-in principal, shared by the server and the UI.</summary>
public static class SecurityClaims
{
    /// <summary>The user's security stamp at sign-in; a session whose stamp no longer matches has ended.</summary>
    public const string Stamp = "stamp";
}
