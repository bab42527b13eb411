using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ratatouille.Sdk;

/// <summary>
/// Turns an options class into the JSON schema the UI renders as a form, and JSON configuration
/// back into a validated options object. The host and the testing harness use the same code, so
/// what passes in a plugin's tests passes in the platform.
/// </summary>
/// <remarks>
/// Property names are camelCase, enums are strings. Annotations understood:
/// <see cref="DisplayNameAttribute"/> (title), <see cref="DescriptionAttribute"/>, <see cref="RequiredAttribute"/>,
/// <see cref="RangeAttribute"/>, <see cref="StringLengthAttribute"/>, <see cref="RegularExpressionAttribute"/>,
/// <see cref="SecretAttribute"/> (<c>"writeOnly": true, "format": "password", "x-secret": true</c>) and
/// property initialisers (<c>"default"</c>). Unknown configuration keys are errors.
/// </remarks>
public static class OptionsSchema
{
    /// <summary>The serializer settings for options: web defaults, string enums, unknown members refused.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>The JSON schema of <paramref name="optionsType"/>.</summary>
    public static JsonObject Generate(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Annotate,
        };
        var schema = SerializerOptions.GetJsonSchemaAsNode(optionsType, exporter).AsObject();
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return schema;
    }

    /// <summary>Dotted camelCase paths of the <see cref="SecretAttribute"/> properties (e.g. <c>auth.password</c>).</summary>
    public static IReadOnlyList<string> SecretPaths(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var paths = new List<string>();
        CollectSecrets(SerializerOptions.GetTypeInfo(optionsType), "", paths, depth: 0);
        return paths;
    }

    /// <summary>Reads <paramref name="configuration"/> into a new <paramref name="optionsType"/> and validates it.</summary>
    /// <exception cref="InvalidOptionsException">The JSON does not fit the class, or validation failed; every problem is listed.</exception>
    public static object Bind(Type optionsType, JsonNode? configuration)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        object? options;
        try
        {
            options = (configuration ?? new JsonObject()).Deserialize(optionsType, SerializerOptions);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $"'{ex.Path.TrimStart('$', '.')}': ";
            throw new InvalidOptionsException([where + Describe(ex)]);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new InvalidOptionsException([ex.Message]);
        }

        if (options is null)
        {
            throw new InvalidOptionsException(["The configuration must be a JSON object."]);
        }

        var errors = Validate(options);
        return errors.Count > 0 ? throw new InvalidOptionsException(errors) : options;
    }

    /// <summary>The validation errors of an options object (data annotations, nested objects included).</summary>
    public static IReadOnlyList<string> Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateObject(options, "", errors, depth: 0);
        return errors;
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }

    private static JsonNode Annotate(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        if (context.PropertyInfo is { AttributeProvider: { } provider })
        {
            if (Attribute<DisplayNameAttribute>(provider) is { } title)
            {
                node["title"] = title.DisplayName;
            }

            if (Attribute<DescriptionAttribute>(provider) is { } description)
            {
                node["description"] = description.Description;
            }

            if (Attribute<SecretAttribute>(provider) is not null)
            {
                node["writeOnly"] = true;
                node["format"] = "password";
                node["x-secret"] = true;
            }

            if (Attribute<RangeAttribute>(provider) is { } range)
            {
                node["minimum"] = JsonValue.Create(System.Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                node["maximum"] = JsonValue.Create(System.Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (Attribute<StringLengthAttribute>(provider) is { } length)
            {
                node["maxLength"] = length.MaximumLength;
                if (length.MinimumLength > 0)
                {
                    node["minLength"] = length.MinimumLength;
                }
            }

            if (Attribute<RegularExpressionAttribute>(provider) is { } pattern)
            {
                node["pattern"] = pattern.Pattern;
            }
        }

        if (context.PropertyInfo is null && context.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            AnnotateObject(context.TypeInfo, node);
        }

        return node;
    }

    private static void AnnotateObject(JsonTypeInfo typeInfo, JsonObject node)
    {
        if (Attribute<DescriptionAttribute>(typeInfo.Type) is { } description)
        {
            node["description"] = description.Description;
        }

        var required = node["required"] as JsonArray ?? [];
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is { } provider && Attribute<RequiredAttribute>(provider) is not null
                && !required.Any(r => r?.GetValue<string>() == property.Name))
            {
                required.Add(property.Name);
            }
        }

        if (required.Count > 0)
        {
            node["required"] = required;
        }

        // Defaults come from the property initialisers of a fresh instance (secrets never get one).
        if (typeInfo.Type.GetConstructor(Type.EmptyTypes) is null || node["properties"] is not JsonObject properties)
        {
            return;
        }

        var instance = JsonSerializer.SerializeToNode(Activator.CreateInstance(typeInfo.Type), typeInfo.Type, SerializerOptions) as JsonObject;
        foreach (var property in typeInfo.Properties)
        {
            if (instance?[property.Name] is { } value && value.GetValueKind() is not (JsonValueKind.Null or JsonValueKind.Object)
                && properties[property.Name] is JsonObject propertySchema && propertySchema["x-secret"] is null)
            {
                propertySchema["default"] = value.DeepClone();
            }
        }
    }

    private static void CollectSecrets(JsonTypeInfo typeInfo, string prefix, List<string> paths, int depth)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || depth > 8)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            var path = prefix + property.Name;
            if (property.AttributeProvider is { } provider && Attribute<SecretAttribute>(provider) is not null)
            {
                if (property.PropertyType != typeof(string))
                {
                    throw new InvalidOperationException($"Secret option '{path}' must be a string property.");
                }

                paths.Add(path);
            }
            else
            {
                CollectSecrets(SerializerOptions.GetTypeInfo(property.PropertyType), path + ".", paths, depth + 1);
            }
        }
    }

    private static void ValidateObject(object instance, string prefix, List<string> errors, int depth)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        var typeInfo = SerializerOptions.GetTypeInfo(instance.GetType());
        foreach (var result in results)
        {
            var members = result.MemberNames.Select(m => prefix + (typeInfo.Properties.FirstOrDefault(p => p.AttributeProvider is PropertyInfo pi && pi.Name == m)?.Name ?? m));
            var where = string.Join(", ", members);
            errors.Add(where.Length > 0 ? $"'{where}': {result.ErrorMessage}" : result.ErrorMessage ?? "invalid");
        }

        if (depth > 8)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.Get?.Invoke(instance) is { } child && SerializerOptions.GetTypeInfo(child.GetType()).Kind == JsonTypeInfoKind.Object)
            {
                ValidateObject(child, prefix + property.Name + ".", errors, depth + 1);
            }
        }
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static T? Attribute<T>(ICustomAttributeProvider provider)
        where T : Attribute =>
        provider.GetCustomAttributes(typeof(T), inherit: true).OfType<T>().FirstOrDefault();
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
