using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Files;

/// <summary>Configuration of a files connection.</summary>
public sealed class FilesOptions
{
    [DisplayName("Location")]
    [Description("importRoot: a server folder an administrator opened for import. landing: the raw files kept from uploads.")]
    public FileLocation Location { get; set; } = FileLocation.ImportRoot;

    [Required]
    [StringLength(1024, MinimumLength = 1)]
    [DisplayName("Files")]
    [Description("A path or glob relative to the location, e.g. sales/2024-*.csv or exports/**/*.parquet. Every matching file is read into one stream.")]
    public string Path { get; set; } = "";

    [DisplayName("Stream name")]
    [Description("The name of the stream; derived from the path when empty.")]
    [RegularExpression("^[A-Za-z0-9_.-]{1,128}$")]
    public string? StreamName { get; set; }

    [DisplayName("Format")]
    [Description("auto decides by extension (.csv, .tsv, .json, .ndjson/.jsonl, .parquet).")]
    public FileFormat Format { get; set; } = FileFormat.Auto;

    [DisplayName("Delimiter")]
    [Description("CSV delimiter (one character, or \\t); detected when empty.")]
    [StringLength(2)]
    public string? Delimiter { get; set; }

    [DisplayName("Header line")]
    [Description("Whether CSV files start with column names; detected when empty.")]
    public bool? Header { get; set; }

    [DisplayName("Quote")]
    [StringLength(1)]
    public string? Quote { get; set; }

    [DisplayName("Null text")]
    [Description("CSV text that stands for NULL.")]
    public string? NullString { get; set; }

    [DisplayName("Add file name column")]
    [Description("Adds _source_file with the path each row came from.")]
    public bool IncludeFileName { get; set; }
}
