namespace Ratatouille.Browser.Tests;

/// <summary>
/// Browser test classes run one after another even when the runner parallelises collections:
/// each starts a server and a Chromium, and two of those at once on a two-core box make timings flaky.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
