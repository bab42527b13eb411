using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>How requests authenticate. Secrets are stored encrypted by the platform and only ever sent to the API.</summary>
public sealed class HttpAuthOptions
{
    [DisplayName("Authentication")]
    [Description("none, bearer (token), basic (username and password) or apiKey (a key in a header or query parameter).")]
    public HttpAuthType Type { get; set; } = HttpAuthType.None;

    [Secret]
    [DisplayName("Bearer token")]
    [Description("Sent as Authorization: Bearer <token> (type bearer).")]
    public string? Token { get; set; }

    [DisplayName("Username")]
    [Description("Type basic.")]
    public string? Username { get; set; }

    [Secret]
    [DisplayName("Password")]
    [Description("Type basic; may be empty for APIs that take a key as the username.")]
    public string? Password { get; set; }

    [DisplayName("API key name")]
    [Description("The header or query parameter carrying the key, e.g. X-API-Key or api_key (type apiKey).")]
    [RegularExpression("^[A-Za-z0-9_.~!#$&'*+^`|-]{1,128}$", ErrorMessage = "must be a header or parameter name (letters, digits, - _ . and the like)")]
    public string? ApiKeyName { get; set; }

    [Secret]
    [DisplayName("API key")]
    [Description("Type apiKey.")]
    public string? ApiKeyValue { get; set; }

    [DisplayName("API key in")]
    [Description("header or query.")]
    public ApiKeyLocation ApiKeyIn { get; set; } = ApiKeyLocation.Header;
}
