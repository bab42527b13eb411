namespace Ratatouille.Plugins.Http.Tests;

public sealed class HelperTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("5", 5)]
    [InlineData("0", 0)]
    [InlineData("Wed, 01 May 2024 12:00:30 GMT", 30)]
    [InlineData("Wed, 01 May 2024 11:00:00 GMT", 0)]
    public void RetryAfter_SecondsOrHttpDate(string header, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelay.ParseRetryAfter(header, Now));

    [Fact]
    public void RetryAfter_Garbage_IsIgnored() => Assert.Null(RetryDelay.ParseRetryAfter("soon", Now));

    [Fact]
    public void Backoff_DoublesWithJitterAndIsCapped()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), RetryDelay.Backoff(0, 1, 60, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryDelay.Backoff(0, 1, 60, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(8), RetryDelay.Backoff(3, 1, 60, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDelay.Backoff(10, 1, 60, random: 1));
        Assert.InRange(RetryDelay.Backoff(10, 1, 60, random: 0.5).TotalSeconds, 30, 60);
    }

    [Fact]
    public void LinkHeader_FindsRelNext_AmongOthers()
    {
        var header = """<https://api.example.com/x?page=1>; rel="first", <https://api.example.com/x?a=1,2&page=3>; rel="next last"; title="a, b", <https://api.example.com/x?page=9>; rel=prev""";

        Assert.Equal("https://api.example.com/x?a=1,2&page=3", LinkHeader.Find([header], "next"));
        Assert.Equal("https://api.example.com/x?page=9", LinkHeader.Find([header], "prev"));
        Assert.Null(LinkHeader.Find(["<https://x/1>; rel=\"last\""], "next"));
    }

    [Fact]
    public void RequestUrl_JoinsPathsAndReplacesParameters()
    {
        var url = RequestUrl.Build("https://api.example.com/v1/", "/items?state=open&page=9", [new("page", "2"), new("q", "a b&c")]);

        Assert.Equal("https://api.example.com/v1/items?state=open&page=2&q=a%20b%26c", url.AbsoluteUri);
    }

    [Fact]
    public void RequestUrl_Display_MasksTheKey()
    {
        var url = new Uri("https://api.example.com/items?api_key=SECRET&page=2");

        Assert.Equal("https://api.example.com/items?api_key=***&page=2", RequestUrl.Display(url, "api_key"));
    }

    [Theory]
    [InlineData("2024-05-01T10:00:00Z", true)]
    [InlineData("2024-05-01 10:00:00.123456+02:00", true)]
    [InlineData("2024-05-01T10:00+0530", true)]
    [InlineData("2024-05-01T10:00:00", false)]
    [InlineData("2024-05-01", false)]
    [InlineData("2024-13-01T10:00:00Z", false)]
    public void Timestamps_NeedAZone(string text, bool parses) => Assert.Equal(parses, Timestamps.TryParse(text, out _));
}
