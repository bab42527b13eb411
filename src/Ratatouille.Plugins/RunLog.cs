using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Ratatouille.Plugins;

/// <summary>One line of a run's log.</summary>
/// <param name="Time">When it was written.</param>
/// <param name="Level"><c>information</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="Source"><c>platform</c> (the extract itself) or <c>plugin</c> (the connector's own logging).</param>
/// <param name="Message">The text, with the connection's secret values masked.</param>
public sealed record RunLogEntry(DateTime Time, string Level, string Source, string Message);

/// <summary>
/// The log of one run: what the platform did (resume position, commit, failure) and what the plugin
/// logged at information level and above while it ran. Bounded (the first <see cref="MaxEntries"/>
/// lines are kept, then a count of the rest), and every value of the connection's secrets is masked
/// before a line is kept, so a plugin that logs its password does not put it in the metadata database.
/// </summary>
public sealed class RunLog(TimeProvider clock)
{
    public const int MaxEntries = 1000;
    public const int MaxMessageLength = 4000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<RunLogEntry> _entries = [];
    private readonly List<string> _secrets = [];
    private int _dropped;

    /// <summary>
    /// A value to mask wherever it appears, also JSON- or URL-escaped (values shorter than 4 characters
    /// are not masked: they would mask ordinary text).
    /// </summary>
    public void AddSecret(string value)
    {
        if (value.Length < 4)
        {
            return;
        }

        lock (_entries)
        {
            foreach (var form in new[] { value, JsonEncodedText.Encode(value).ToString(), Uri.EscapeDataString(value) })
            {
                if (!_secrets.Contains(form))
                {
                    _secrets.Add(form);
                }
            }

            // Longest first: a secret that starts another one must not leave the longer one's tail behind.
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public void Add(LogLevel level, string source, string message)
    {
        lock (_entries)
        {
            if (_entries.Count >= MaxEntries)
            {
                _dropped++;
                return;
            }

            message = RedactLocked(message);
            if (message.Length > MaxMessageLength)
            {
                message = string.Concat(message.AsSpan(0, MaxMessageLength), "…");
            }

            _entries.Add(new RunLogEntry(clock.GetUtcNow().UtcDateTime, Level(level), source, message));
        }
    }

    /// <summary><paramref name="message"/> with the secrets masked (the same instance when it holds none).</summary>
    public string Redact(string message)
    {
        lock (_entries)
        {
            return RedactLocked(message);
        }
    }

    private string RedactLocked(string message)
    {
        foreach (var secret in _secrets)
        {
            if (message.Contains(secret, StringComparison.Ordinal))
            {
                message = message.Replace(secret, Security.SecretStore.Mask, StringComparison.Ordinal);
            }
        }

        return message;
    }

    public void Info(string message) => Add(LogLevel.Information, "platform", message);

    /// <summary>The lines so far, with a last line counting those not kept.</summary>
    public IReadOnlyList<RunLogEntry> Entries()
    {
        lock (_entries)
        {
            var entries = new List<RunLogEntry>(_entries);
            if (_dropped > 0)
            {
                entries.Add(new RunLogEntry(clock.GetUtcNow().UtcDateTime, "warning", "platform", $"{_dropped} more line(s) were not kept (a run keeps {MaxEntries})."));
            }

            return entries;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(Entries(), Json);

    public static IReadOnlyList<RunLogEntry> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<RunLogEntry>>(json, Json) ?? [];

    /// <summary>A logger that writes to <paramref name="inner"/> and keeps information and above in this log.</summary>
    public ILogger Capture(ILogger inner) => new CapturingLogger(inner, this);

    private static string Level(LogLevel level) => level switch
    {
        >= LogLevel.Error => "error",
        LogLevel.Warning => "warning",
        _ => "information",
    };

    private sealed class CapturingLogger(ILogger inner, RunLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var keep = logLevel is >= LogLevel.Information and < LogLevel.None;
            if (!keep && !inner.IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, exception);
            var full = exception is null ? text : $"{text} ({exception.GetType().Name}: {exception.Message})";
            var redacted = log.Redact(full);
            if (inner.IsEnabled(logLevel))
            {
                // The whole exception (inner exceptions, stack) decides whether the original may pass as is.
                var everything = exception is null ? text : $"{text}\n{exception}";
                if (ReferenceEquals(log.Redact(everything), everything))
                {
                    inner.Log(logLevel, eventId, state, exception, formatter);
                }
                else
                {
                    // The plugin wrote a secret: the server log gets the masked text only (no state, no exception).
                    inner.Log(logLevel, eventId, redacted, null, static (message, _) => message);
                }
            }

            if (keep)
            {
                log.Add(logLevel, "plugin", redacted);
            }
        }
    }
}
