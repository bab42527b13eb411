namespace Ratatouille.Samples.Rss.Tests;

public sealed class FeedDatesTests
{
    [Theory]
    [InlineData("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T02:00:00Z")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 -0530", "2003-06-10T09:30:00Z")]
    [InlineData("10 Jun 2003 04:00 EDT", "2003-06-10T08:00:00Z")]
    [InlineData("Tuesday, 10 June 2003 04:00:00 PST", "2003-06-10T12:00:00Z")]
    [InlineData("Sat, 1 Sept 2001 23:59:59 UT", "2001-09-01T23:59:59Z")]
    [InlineData("Mon, 03 Jun 24 18:00:00 Z", "2024-06-03T18:00:00Z")]
    [InlineData("Wed, 02 Oct 2002 13:00:00", "2002-10-02T13:00:00Z")]
    [InlineData("2003-12-13T18:30:02Z", "2003-12-13T18:30:02Z")]
    [InlineData("2003-12-13T18:30:02.25+01:00", "2003-12-13T17:30:02.25Z")]
    [InlineData("  2003-12-13T18:30:02.1234567Z ", "2003-12-13T18:30:02.123456Z")]
    [InlineData("2003-12-13", "2003-12-13T00:00:00Z")]
    public void Parse_FeedDates_GiveUtcInstants(string text, string expected)
    {
        var parsed = FeedDates.Parse(text);

        Assert.Equal(Feeds.Utc(expected), parsed);
        Assert.Equal(TimeSpan.Zero, parsed!.Value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("Tue, 31 Jun 2003 04:00:00 GMT")]
    [InlineData("Tue, 10 Junk 2003 04:00:00 GMT")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 XYZ")]
    public void Parse_NotADate_IsNull(string? text) => Assert.Null(FeedDates.Parse(text));
}
