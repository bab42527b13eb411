using System.Text.Json;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// Columns from sampled records: the union of their top-level keys in order of first appearance, each
/// typed by the JSON values seen (see <see cref="FieldStats.Resolve"/>), with field hints overriding.
/// </summary>
internal static class SchemaInference
{
    /// <summary>The schema of a stream; <paramref name="records"/> is ignored when the stream does not infer fields.</summary>
    public static StreamSchema Infer(HttpStreamOptions stream, IReadOnlyList<JsonElement> records)
    {
        var hints = stream.Fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
        var keys = new List<string>();
        var stats = new Dictionary<string, FieldStats>(StringComparer.Ordinal);
        if (stream.InferFields)
        {
            if (records.Count == 0)
            {
                throw new PluginException($"Stream '{stream.Name}': the first page has no records, so there is nothing to infer the columns from. " +
                    "Check the record selector, or list the fields and turn inferFields off to read an endpoint that may be empty.");
            }

            foreach (var record in records)
            {
                foreach (var property in record.EnumerateObject())
                {
                    if (!stats.TryGetValue(property.Name, out var field))
                    {
                        stats[property.Name] = field = new FieldStats();
                        keys.Add(property.Name);
                    }

                    field.Observe(property.Value);
                }
            }
        }

        keys.AddRange(stream.Fields.Select(f => f.Name).Where(k => !stats.ContainsKey(k)));
        var primaryKey = stream.PrimaryKey.ToHashSet(StringComparer.Ordinal);
        foreach (var key in stream.PrimaryKey)
        {
            if (!keys.Contains(key))
            {
                throw new PluginException($"Stream '{stream.Name}': the primary key field '{key}' is not in the records of the first page (keys: {string.Join(", ", keys.Take(30))}).");
            }

            if (!stream.InferFields)
            {
                continue;
            }

            for (var i = 0; i < records.Count; i++)
            {
                if (!records[i].TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    throw new PluginException($"Stream '{stream.Name}': record {i + 1} of the first page has no value for the primary key field '{key}'.");
                }
            }
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var columns = new List<ColumnSpec>(keys.Count);
        foreach (var key in keys)
        {
            var type = hints.TryGetValue(key, out var hinted) ? hinted : stats[key].Resolve();
            columns.Add(new ColumnSpec(UniqueName(key, names), key, type, Nullable: !primaryKey.Contains(key)));
        }

        if (!string.IsNullOrEmpty(stream.CursorField))
        {
            var cursor = columns.FirstOrDefault(c => c.Key == stream.CursorField)
                ?? throw new PluginException($"Stream '{stream.Name}': the cursor field '{stream.CursorField}' is not in the records of the first page (keys: {string.Join(", ", keys.Take(30))}). " +
                    "Check its name, or list it in the field types.");
            if (cursor.Type is HttpFieldType.Boolean or HttpFieldType.Json)
            {
                throw new PluginException($"Stream '{stream.Name}': the cursor field '{stream.CursorField}' holds {cursor.Type.ToString().ToLowerInvariant()} values; a cursor must be an integer, number, text or timestamp.");
            }
        }

        return new StreamSchema(columns);
    }

    // Column names must differ ignoring case (the warehouse is case-insensitive); keys that collide get a suffix.
    private static string UniqueName(string key, HashSet<string> taken)
    {
        var name = key.Length == 0 ? "_" : key;
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{name}_{n}";
        }

        return candidate;
    }

    private sealed class FieldStats
    {
        private bool _integers;
        private bool _bigIntegers;
        private bool _fractions;
        private bool _booleans;
        private bool _strings;
        private bool _complex;
        private bool _allTimestamps = true;

        public void Observe(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number when value.TryGetInt64(out _):
                    _integers = true;
                    break;
                case JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny(".eE") < 0:
                    _bigIntegers = true;
                    break;
                case JsonValueKind.Number:
                    _fractions = true;
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    _booleans = true;
                    break;
                case JsonValueKind.String:
                    _strings = true;
                    _allTimestamps &= Timestamps.TryParse(value.GetString()!, out _);
                    break;
                case JsonValueKind.Object or JsonValueKind.Array:
                    _complex = true;
                    break;
            }
        }

        /// <summary>
        /// integers only → Integer; integers and fractions → Number; booleans only → Boolean; text only → Timestamp
        /// when every value is an ISO-8601 date-time with a zone, else String; any object or array → Json; other
        /// mixes, and integers beyond 64 bits, → String (the JSON text, which loses nothing); no value seen → String.
        /// </summary>
        public HttpFieldType Resolve()
        {
            if (_complex)
            {
                return HttpFieldType.Json;
            }

            var kinds = (_integers ? 1 : 0) + (_bigIntegers ? 1 : 0) + (_fractions ? 1 : 0) + (_booleans ? 1 : 0) + (_strings ? 1 : 0);
            if (kinds == 0 || _bigIntegers)
            {
                return HttpFieldType.String;
            }

            if (kinds == 1 && _booleans)
            {
                return HttpFieldType.Boolean;
            }

            if (kinds == 1 && _strings)
            {
                return _allTimestamps ? HttpFieldType.Timestamp : HttpFieldType.String;
            }

            if (!_booleans && !_strings)
            {
                return _fractions ? HttpFieldType.Number : HttpFieldType.Integer;
            }

            return HttpFieldType.String;
        }
    }
}
