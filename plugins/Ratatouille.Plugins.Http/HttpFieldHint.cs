using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Http;

/// <summary>A field whose column type is set instead of inferred.</summary>
public sealed class HttpFieldHint
{
    [Required]
    [StringLength(256, MinimumLength = 1)]
    [DisplayName("Field")]
    [Description("A top-level key of the records, e.g. created_at.")]
    public string Name { get; set; } = "";

    [DisplayName("Type")]
    [Description("string, integer, number, boolean, timestamp (ISO-8601 text → TIMESTAMPTZ) or json (kept as JSON text).")]
    public HttpFieldType Type { get; set; } = HttpFieldType.String;
}
