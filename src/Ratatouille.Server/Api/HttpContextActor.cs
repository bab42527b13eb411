using Ratatouille.Security;

namespace Ratatouille.Server.Api;

internal static class HttpContextActor
{
    /// <summary>The caller as an audit actor: user name, role and remote address.</summary>
    public static Actor Actor(this HttpContext context) => Security.Actor.From(context.User, context.Connection.RemoteIpAddress?.ToString());
}
