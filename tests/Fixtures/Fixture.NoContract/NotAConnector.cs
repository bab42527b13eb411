using Ratatouille.Sdk;

namespace Fixture.NoContract;

[Connector("not-a-connector")]
public sealed class NotAConnector
{
    public string Name => "I only look like a connector";
}
