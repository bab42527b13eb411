namespace Ratatouille.Testing;

/// <summary>A token that cancels a hung test instead of letting it hang the suite.</summary>
public static class TestTimeout
{
    public static CancellationToken Token => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;
}
