using Microsoft.Extensions.Logging;
using Ratatouille.Security;

namespace Ratatouille.Plugins.Tests;

/// <summary>The run log's masking of secrets, in the lines it keeps and in what it passes on to the server log.</summary>
public sealed class RunLogTests
{
    [Fact]
    public void Secrets_are_masked_also_escaped_longest_first_and_inside_exceptions()
    {
        var log = new RunLog(TimeProvider.System);
        log.AddSecret("pa+ss<word>");
        log.AddSecret("tok3n");
        log.AddSecret("tok3n-extended");
        log.AddSecret("abc"); // too short to mask
        var server = new ListLogger();
        var logger = log.Capture(server);

        logger.LogInformation("json {Body}", System.Text.Json.JsonSerializer.Serialize(new { password = "pa+ss<word>" }));
        logger.LogInformation("url https://api.example.com/?key={Key}", Uri.EscapeDataString("pa+ss<word>"));
        logger.LogInformation("header tok3n-extended and tok3n, abc");
        logger.LogError(new InvalidOperationException("outer", new InvalidOperationException("inner says tok3n")), "call failed");

        var kept = log.Entries().Select(e => e.Message).ToList();
        var all = string.Join("\n", kept.Concat(server.Lines));
        Assert.DoesNotContain("pa+ss", all);
        Assert.DoesNotContain("pa\\u002Bss", all);
        Assert.DoesNotContain("pa%2Bss", all);
        Assert.DoesNotContain("tok3n", all);
        Assert.DoesNotContain("-extended", all);
        Assert.Contains($"header {SecretStore.Mask} and {SecretStore.Mask}, abc", kept[2]);
        // The exception's inner message held a secret: the server log gets the masked text, not the exception.
        Assert.Equal("call failed (InvalidOperationException: outer)", server.Lines[^1]);
        Assert.Equal("error", log.Entries()[^1].Level);
    }

    [Fact]
    public void The_log_is_bounded_and_says_how_much_it_left_out()
    {
        var log = new RunLog(TimeProvider.System);
        for (var i = 0; i < RunLog.MaxEntries + 25; i++)
        {
            log.Info($"line {i}");
        }

        var entries = log.Entries();
        Assert.Equal(RunLog.MaxEntries + 1, entries.Count);
        Assert.Contains("25 more line(s) were not kept", entries[^1].Message);
        Assert.Equal(entries.Count, RunLog.FromJson(log.ToJson()).Count);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(exception is null ? formatter(state, exception) : $"{formatter(state, exception)} [{exception}]");
    }
}
