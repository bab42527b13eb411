using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// The data annotations of an object, checked attribute by attribute as the platform's binder does (not
/// through <see cref="Validator"/>, whose process-wide cache would keep an unloaded plugin's types alive).
/// The binder stops at lists; the connector checks their items with this.
/// </summary>
internal static class OptionAttributes
{
    public static IEnumerable<string> Problems(object instance, string prefix)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var value = property.GetValue(instance);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                if (!attribute.IsValid(value))
                {
                    yield return $"'{name}': {attribute.FormatErrorMessage(name)}";
                }
            }
        }
    }
}
