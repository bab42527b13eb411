namespace Ratatouille.Plugins.Postgres;

/// <summary>Whether the connection is encrypted and how the server's certificate is checked (libpq's sslmode).</summary>
public enum PostgresSslMode
{
    /// <summary>Never encrypt.</summary>
    Disable,

    /// <summary>Encrypt when the server offers TLS, otherwise connect in plain text; the certificate is not checked.</summary>
    Prefer,

    /// <summary>Always encrypt; the certificate is not checked (protects against eavesdropping, not impersonation).</summary>
    Require,

    /// <summary>Always encrypt, and the certificate must be trusted by the server machine and name the host.</summary>
    VerifyFull,
}
