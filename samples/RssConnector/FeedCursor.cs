using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>
/// The incremental position: the newest item instant read so far, saved as <c>{"cursor": "2024-05-01T10:00:00Z"}</c>.
/// Items strictly newer than it are new. Items without a date are read by full refreshes and by the first
/// incremental read only: after that nothing says whether they are new.
/// </summary>
/// <param name="Started">Whether an incremental read happened before (a state exists).</param>
/// <param name="Instant">The newest instant read; null when no dated item was read yet.</param>
internal sealed record FeedCursor(bool Started, DateTimeOffset? Instant)
{
    /// <summary>The cursor fields the stream offers, the default first.</summary>
    public static readonly IReadOnlyList<string> Fields = ["published", "updated"];

    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFF'Z'";

    /// <summary>No state: everything is new.</summary>
    public static readonly FeedCursor Start = new(false, null);

    /// <summary>The cursor a state saved by <see cref="ToJson"/> stands for.</summary>
    /// <exception cref="PluginException">The state is not one this connector wrote.</exception>
    public static FeedCursor From(JsonNode? state)
    {
        if (state is null)
        {
            return Start;
        }

        if (state is JsonObject json && json.TryGetPropertyValue("cursor", out var cursor))
        {
            if (cursor is null)
            {
                return new FeedCursor(true, null);
            }

            if (cursor.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(cursor.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return new FeedCursor(true, instant.ToUniversalTime());
            }
        }

        throw new PluginException(
            $"The saved state {state.ToJsonString()} is not one this connector wrote (expected {{\"cursor\": \"<ISO 8601 instant>\"}}); run a full refresh to start over.");
    }

    /// <summary>The cursor column's name: the one asked for, or the default.</summary>
    /// <exception cref="PluginException">The stream has no such cursor.</exception>
    public static string Field(string? requested) =>
        requested is null ? Fields[0]
        : Fields.Contains(requested) ? requested
        : throw new PluginException($"The items stream has no cursor '{requested}'; use {string.Join(" or ", Fields)}.");

    /// <summary>The instant an item is ordered by: the chosen date, or the other one when the item lacks it.</summary>
    public static DateTimeOffset? InstantOf(FeedItem item, string field) =>
        field == "updated" ? item.Updated ?? item.Published : item.Published ?? item.Updated;

    /// <summary>Whether an item at <paramref name="instant"/> comes after this cursor.</summary>
    public bool IsNew(DateTimeOffset? instant) =>
        !Started || (instant is { } value && (Instant is not { } last || value > last));

    /// <summary>This cursor moved past <paramref name="instant"/>, if that is newer.</summary>
    public FeedCursor Advance(DateTimeOffset? instant) =>
        instant is { } value && (Instant is not { } last || value > last) ? new FeedCursor(true, value) : this with { Started = true };

    /// <summary>The state to save.</summary>
    public JsonObject ToJson() => new()
    {
        ["cursor"] = Instant?.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture),
    };
}
