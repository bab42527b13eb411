namespace Ratatouille.Plugins.Http;

/// <summary>When page-number and offset pagination stop.</summary>
public enum PageStopRule
{
    /// <summary>After a page with fewer records than the page size (or none).</summary>
    ShortPage,

    /// <summary>Only after a page with no records.</summary>
    EmptyPage,
}
