using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ratatouille.Sdk;

/// <summary>
/// Turns an options class into the JSON schema the UI renders as a form, and JSON configuration
/// back into a validated options object. The host and the testing harness use the same code, so
/// what passes in a plugin's tests passes in the platform.
/// </summary>
/// <remarks>
/// <para>
/// Options classes have a public parameterless constructor and public settable properties of these
/// types: <see cref="string"/>, <see cref="bool"/>, integers, floating point and <see cref="decimal"/>,
/// enums (as camelCase strings), <see cref="Guid"/>, <see cref="Uri"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/> (as <c>"00:01:30"</c>), their nullable forms, lists and
/// arrays of them, <c>Dictionary&lt;string, T&gt;</c>, and nested options classes. JSON names are camelCase
/// (or <see cref="JsonPropertyNameAttribute"/>) and matched exactly; <see cref="JsonIgnoreAttribute"/> hides a property.
/// </para>
/// <para>
/// Annotations understood: <see cref="DisplayNameAttribute"/> (title), <see cref="DescriptionAttribute"/>,
/// <see cref="RequiredAttribute"/>, <see cref="RangeAttribute"/>, <see cref="StringLengthAttribute"/>,
/// <see cref="RegularExpressionAttribute"/> (any <see cref="ValidationAttribute"/> is validated),
/// <see cref="SecretAttribute"/> (<c>"writeOnly": true, "format": "password", "x-secret": true</c>; not inside list items) and
/// property initialisers (<c>"default"</c>). Unknown configuration keys are errors.
/// </para>
/// <para>
/// Plain reflection on purpose: nothing here caches plugin types process-wide, so a plugin whose options
/// were bound can still be unloaded.
/// </para>
/// </remarks>
public static class OptionsSchema
{
    private const int MaxDepth = 8;

    /// <summary>The JSON schema of <paramref name="optionsType"/>.</summary>
    /// <exception cref="InvalidOperationException">The class uses a property type this binder does not support.</exception>
    public static JsonObject Generate(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var schema = ObjectSchema(optionsType, new NullabilityInfoContext(), depth: 0);
        schema.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        return schema;
    }

    /// <summary>Dotted JSON paths of the <see cref="SecretAttribute"/> properties (e.g. <c>auth.password</c>).</summary>
    public static IReadOnlyList<string> SecretPaths(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var paths = new List<string>();
        CollectSecrets(optionsType, "", paths, depth: 0);
        return paths;
    }

    /// <summary>Reads <paramref name="configuration"/> into a new <paramref name="optionsType"/> and validates it.</summary>
    /// <exception cref="InvalidOptionsException">The JSON does not fit the class, or validation failed; every problem is listed.</exception>
    public static object Bind(Type optionsType, JsonNode? configuration)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var errors = new List<string>();
        if (configuration is not null and not JsonObject)
        {
            throw new InvalidOptionsException(["The configuration must be a JSON object."]);
        }

        var options = BindObject(optionsType, configuration as JsonObject ?? [], "", errors, new NullabilityInfoContext(), depth: 0);
        if (errors.Count == 0)
        {
            errors.AddRange(Validate(options!));
        }

        return errors.Count > 0 ? throw new InvalidOptionsException(errors) : options!;
    }

    /// <summary>The validation errors of an options object (data annotations, nested objects included).</summary>
    public static IReadOnlyList<string> Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateObject(options, "", errors, depth: 0);
        return errors;
    }

    /// <summary>The JSON name of an options property.</summary>
    public static string JsonName(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
    }

    private static IEnumerable<PropertyInfo> OptionProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    private static JsonObject ObjectSchema(Type type, NullabilityInfoContext nullability, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Options nest deeper than {MaxDepth} levels at {type.Name}.");
        }

        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException($"Options class {type.Name} needs a public parameterless constructor.");
        }

        var defaults = Activator.CreateInstance(type);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in OptionProperties(type))
        {
            var name = JsonName(property);
            var nullable = nullability.Create(property).WriteState == NullabilityState.Nullable;
            var schema = TypeSchema(property.PropertyType, nullable, nullability, depth);
            Annotate(property, schema);
            var secret = property.GetCustomAttribute<SecretAttribute>() is not null;
            if (secret && property.PropertyType != typeof(string))
            {
                throw new InvalidOperationException($"Secret option '{name}' must be a string property.");
            }

            if (!secret && defaults is not null && property.GetValue(defaults) is { } value && DefaultValue(value) is { } fallback)
            {
                schema["default"] = fallback;
            }

            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }

            properties[name] = schema;
        }

        var result = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            result["description"] = description.Description;
        }

        result["properties"] = properties;
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        result["additionalProperties"] = false;
        return result;
    }

    private static JsonObject TypeSchema(Type type, bool nullable, NullabilityInfoContext nullability, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            type = inner;
            nullable = true;
        }

        JsonObject schema;
        if (type == typeof(string))
        {
            schema = Typed("string", nullable);
        }
        else if (type == typeof(bool))
        {
            schema = Typed("boolean", nullable);
        }
        else if (type.IsEnum)
        {
            var names = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode?)JsonNamingPolicy.CamelCase.ConvertName(n)).ToArray());
            if (nullable)
            {
                names.Add(null);
            }

            schema = new JsonObject { ["type"] = nullable ? new JsonArray("string", "null") : "string", ["enum"] = names };
        }
        else if (IsInteger(type))
        {
            schema = Typed("integer", nullable);
        }
        else if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            schema = Typed("number", nullable);
        }
        else if (type == typeof(Guid) || type == typeof(Uri) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(DateOnly))
        {
            schema = Typed("string", nullable);
            if (type == typeof(TimeSpan))
            {
                // .NET's constant format ("00:01:30", "1.00:00:00"), not ISO 8601 durations.
                schema["pattern"] = @"^-?(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$";
            }
            else
            {
                schema["format"] = type == typeof(Guid) ? "uuid" : type == typeof(Uri) ? "uri" : type == typeof(DateOnly) ? "date" : "date-time";
            }
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            schema = Typed("object", nullable);
            schema["additionalProperties"] = TypeSchema(valueType, false, nullability, depth + 1);
        }
        else if (ElementType(type) is { } elementType)
        {
            schema = Typed("array", nullable);
            schema["items"] = TypeSchema(elementType, false, nullability, depth + 1);
        }
        else if (type.IsClass)
        {
            schema = ObjectSchema(type, nullability, depth + 1);
            if (nullable)
            {
                schema["type"] = new JsonArray("object", "null");
            }
        }
        else
        {
            throw new InvalidOperationException($"Options cannot use properties of type {type.Name}.");
        }

        return schema;
    }

    private static JsonObject Typed(string type, bool nullable) => new() { ["type"] = nullable ? new JsonArray(type, "null") : type };

    private static void Annotate(PropertyInfo property, JsonObject node)
    {
        if (property.GetCustomAttribute<DisplayNameAttribute>() is { } title)
        {
            node["title"] = title.DisplayName;
        }

        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            node["description"] = description.Description;
        }

        if (property.GetCustomAttribute<SecretAttribute>() is not null)
        {
            node["writeOnly"] = true;
            node["format"] = "password";
            node["x-secret"] = true;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range && range.Minimum is IConvertible && range.Maximum is IConvertible)
        {
            node["minimum"] = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
            node["maximum"] = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        }

        if (property.GetCustomAttribute<StringLengthAttribute>() is { } length)
        {
            node["maxLength"] = length.MaximumLength;
            if (length.MinimumLength > 0)
            {
                node["minLength"] = length.MinimumLength;
            }
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            node["pattern"] = pattern.Pattern;
        }
    }

    private static JsonNode? DefaultValue(object value) => value switch
    {
        string { Length: 0 } => null,
        string s => s,
        bool b => b,
        Enum e => JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Guid or Uri or DateTime or DateTimeOffset or DateOnly => Convert.ToString(value, CultureInfo.InvariantCulture),
        IConvertible when IsInteger(value.GetType()) => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        IList { Count: > 0 } list when list.Cast<object?>().All(i => i is string or bool or Enum || (i is not null && IsInteger(i.GetType()))) =>
            new JsonArray(list.Cast<object?>().Select(i => DefaultValue(i!)).ToArray()),
        _ => null,
    };

    private static object? BindObject(Type type, JsonObject json, string prefix, List<string> errors, NullabilityInfoContext nullability, int depth)
    {
        if (depth > MaxDepth || type.GetConstructor(Type.EmptyTypes) is null)
        {
            errors.Add($"'{prefix.TrimEnd('.')}': cannot be configured.");
            return null;
        }

        var instance = Activator.CreateInstance(type)!;
        var properties = OptionProperties(type).ToDictionary(JsonName, StringComparer.Ordinal);
        foreach (var (key, node) in json)
        {
            var path = prefix + key;
            if (!properties.TryGetValue(key, out var property))
            {
                errors.Add($"'{path}': unknown option (known: {string.Join(", ", properties.Keys)}).");
                continue;
            }

            var nullable = nullability.Create(property).WriteState == NullabilityState.Nullable;
            if (TryConvert(node, property.PropertyType, nullable, path, errors, nullability, depth, out var value))
            {
                property.SetValue(instance, value);
            }
        }

        return instance;
    }

    private static bool TryConvert(JsonNode? node, Type type, bool nullable, string path, List<string> errors, NullabilityInfoContext nullability, int depth, out object? value)
    {
        value = null;
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            type = inner;
            nullable = true;
        }

        if (node is null)
        {
            if (nullable || !type.IsValueType)
            {
                return true;
            }

            errors.Add($"'{path}': a value is required (null given).");
            return false;
        }

        try
        {
            if (type == typeof(string))
            {
                value = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Fail("text");
            }
            else if (type == typeof(bool))
            {
                value = node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>() : Fail("true or false");
            }
            else if (type.IsEnum)
            {
                var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : Fail<string>("one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)));
                value = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } match
                    ? Enum.Parse(type, match)
                    : Fail("one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)));
            }
            else if (IsInteger(type) || type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            {
                if (node.GetValueKind() != JsonValueKind.Number)
                {
                    Fail(IsInteger(type) ? "a whole number" : "a number");
                }

                using var parsed = JsonDocument.Parse(node.ToJsonString());
                var number = parsed.RootElement;
                value = type == typeof(decimal) ? number.GetDecimal()
                    : type == typeof(double) ? number.GetDouble()
                    : type == typeof(float) ? (object)number.GetSingle()
                    : Convert.ChangeType(number.TryGetInt64(out var whole) ? whole : Fail<long>("a whole number"), type, CultureInfo.InvariantCulture);
            }
            else if (type == typeof(Guid) || type == typeof(Uri) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(DateOnly))
            {
                var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : Fail<string>("text");
                value = type == typeof(Guid) ? Guid.Parse(text)
                    : type == typeof(Uri) ? new Uri(text, UriKind.RelativeOrAbsolute)
                    : type == typeof(DateTime) ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                    : type == typeof(DateTimeOffset) ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture)
                    : type == typeof(DateOnly) ? DateOnly.Parse(text, CultureInfo.InvariantCulture)
                    : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            }
            else if (DictionaryValueType(type) is { } valueType)
            {
                var source = node as JsonObject ?? Fail<JsonObject>("an object");
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
                var ok = true;
                foreach (var (key, item) in source)
                {
                    ok &= TryConvert(item, valueType, false, $"{path}.{key}", errors, nullability, depth + 1, out var converted);
                    dictionary[key] = converted;
                }

                value = ok ? dictionary : null;
                return ok;
            }
            else if (ElementType(type) is { } elementType)
            {
                var source = node as JsonArray ?? Fail<JsonArray>("a list");
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
                var ok = true;
                for (var i = 0; i < source.Count; i++)
                {
                    ok &= TryConvert(source[i], elementType, false, $"{path}[{i}]", errors, nullability, depth + 1, out var converted);
                    list.Add(converted);
                }

                if (type.IsArray)
                {
                    var array = Array.CreateInstance(elementType, list.Count);
                    list.CopyTo(array, 0);
                    value = array;
                }
                else
                {
                    value = list;
                }

                return ok;
            }
            else if (type.IsClass)
            {
                var before = errors.Count;
                value = BindObject(type, node as JsonObject ?? Fail<JsonObject>("an object"), path + ".", errors, nullability, depth + 1);
                return errors.Count == before;
            }
            else
            {
                Fail("a supported value");
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or InvalidCastException or UriFormatException)
        {
            errors.Add($"'{path}': {ex.Message}");
            return false;
        }
    }

    private static object Fail(string expected) => throw new FormatException($"expected {expected}.");

    private static T Fail<T>(string expected) => throw new FormatException($"expected {expected}.");

    private static void CollectSecrets(Type type, string prefix, List<string> paths, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var property in OptionProperties(type))
        {
            var path = prefix + JsonName(property);
            if (property.GetCustomAttribute<SecretAttribute>() is not null)
            {
                if (property.PropertyType != typeof(string))
                {
                    throw new InvalidOperationException($"Secret option '{path}' must be a string property.");
                }

                paths.Add(path);
            }
            else if (IsNestedOptions(property.PropertyType))
            {
                CollectSecrets(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, path + ".", paths, depth + 1);
            }
            else if ((ElementType(property.PropertyType) ?? DictionaryValueType(property.PropertyType)) is { } element && IsNestedOptions(element))
            {
                // A secret inside a list or dictionary entry has no stable path to store it under: refuse the
                // options class rather than keep such a value in clear.
                var inner = new List<string>();
                CollectSecrets(element, "", inner, depth + 1);
                if (inner.Count > 0)
                {
                    throw new InvalidOperationException($"Secret option '{path}[].{inner[0]}' is inside a list; secrets must be top-level or in nested options objects.");
                }
            }
        }
    }

    /// <summary>Data annotations, checked attribute by attribute (not through <see cref="Validator"/>, whose type cache is process-wide).</summary>
    private static void ValidateObject(object instance, string prefix, List<string> errors, int depth)
    {
        foreach (var property in OptionProperties(instance.GetType()))
        {
            var name = prefix + JsonName(property);
            var value = property.GetValue(instance);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                bool valid;
                try
                {
                    valid = attribute.IsValid(value);
                }
                catch (InvalidOperationException)
                {
                    valid = attribute.GetValidationResult(value, new ValidationContext(instance) { MemberName = property.Name }) == ValidationResult.Success;
                }

                if (!valid)
                {
                    errors.Add($"'{name}': {attribute.FormatErrorMessage(name)}");
                }
            }

            if (depth < MaxDepth && value is not null)
            {
                if (IsNestedOptions(property.PropertyType))
                {
                    ValidateObject(value, name + ".", errors, depth + 1);
                }
                else if (ElementType(property.PropertyType) is { } element && IsNestedOptions(element) && value is IEnumerable items)
                {
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null)
                        {
                            ValidateObject(item, $"{name}[{index}].", errors, depth + 1);
                        }

                        index++;
                    }
                }
            }
        }
    }

    private static bool IsNestedOptions(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !type.IsArray && ElementType(type) is null && DictionaryValueType(type) is null;

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && type.GetGenericArguments().Length == 1)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        return (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)) && arguments[0] == typeof(string)
            ? arguments[1]
            : null;
    }
}

/// <summary>Configuration that does not fit a component's options class; <see cref="Errors"/> lists every problem.</summary>
public sealed class InvalidOptionsException : PluginException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public InvalidOptionsException(IReadOnlyList<string> errors)
        : base("Invalid configuration: " + string.Join("; ", errors)) => Errors = errors;

    /// <summary>Creates the exception with one problem.</summary>
    public InvalidOptionsException(string message) : this([message])
    {
    }

    /// <summary>Creates the exception without details (prefer the other constructors).</summary>
    public InvalidOptionsException() : this(["invalid configuration"])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public InvalidOptionsException(string message, Exception innerException)
        : base("Invalid configuration: " + message, innerException) => Errors = [message];

    /// <summary>Every problem found, each naming its option.</summary>
    public IReadOnlyList<string> Errors { get; }
}
