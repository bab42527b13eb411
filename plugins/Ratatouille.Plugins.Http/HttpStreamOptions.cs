using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Http;

/// <summary>One endpoint read as one stream.</summary>
public sealed class HttpStreamOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,128}$", ErrorMessage = "must be 1 to 128 letters, digits, '_', '-' or '.'")]
    [DisplayName("Stream name")]
    [Description("The stream's (and by default the dataset's) name, e.g. issues.")]
    public string Name { get; set; } = "";

    [StringLength(2048)]
    [DisplayName("Path")]
    [Description("Appended to the base URL, e.g. /repos/dotnet/runtime/issues; may carry a query string. Empty for the base URL itself.")]
    public string Path { get; set; } = "";

    [DisplayName("Query parameters")]
    [Description("Sent with every request of this stream, e.g. {\"state\": \"all\"}.")]
    public Dictionary<string, string> Query { get; set; } = [];

    [StringLength(512)]
    [DisplayName("Record selector")]
    [Description("Dotted path to the array of records in the body, e.g. data.items (a number picks an array element). Empty when the body is the array; a body that is one object is one record.")]
    public string? RecordSelector { get; set; }

    [DisplayName("Field types")]
    [Description("Types for fields, overriding what is inferred from the first page; listed fields are columns even when the first page lacks them.")]
    public List<HttpFieldHint> Fields { get; set; } = [];

    [DisplayName("Infer fields")]
    [Description("When on, the columns are the fields found in the first page (plus the listed ones). When off, exactly the listed fields, and discovery sends no request.")]
    public bool InferFields { get; set; } = true;

    [DisplayName("Primary key")]
    [Description("Fields that identify a record, e.g. [\"id\"]. Every record must have them.")]
    public List<string> PrimaryKey { get; set; } = [];

    [StringLength(256)]
    [DisplayName("Cursor field")]
    [Description("An ever-increasing field (integer, number, text or ISO-8601 timestamp), e.g. updated_at. Enables incremental reads: records whose cursor is not above the saved one are skipped.")]
    public string? CursorField { get; set; }

    [StringLength(128)]
    [DisplayName("Cursor parameter")]
    [Description("The request parameter that asks the API for records after a cursor, e.g. since. Incremental reads send the saved cursor in it; without it, filtering happens only on this side.")]
    public string? CursorParameter { get; set; }

    [DisplayName("Pagination")]
    public HttpPaginationOptions Pagination { get; set; } = new();
}
