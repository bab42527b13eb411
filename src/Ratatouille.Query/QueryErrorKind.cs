namespace Ratatouille.Query;

public enum QueryErrorKind
{
    /// <summary>The SQL does not parse, binds to nothing, or fails at run time on the data.</summary>
    Invalid,

    /// <summary>The statement is not allowed in the sandbox (not a single read-only SELECT, or file/network access).</summary>
    Refused,

    /// <summary>The statement ran longer than the configured timeout.</summary>
    Timeout,

    /// <summary>A referenced dataset or snapshot does not exist.</summary>
    NotFound,
}
