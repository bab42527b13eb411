using System.Text.Json.Nodes;

namespace Ratatouille.Sdk;

/// <summary>How much a failed check matters.</summary>
public enum Severity
{
    /// <summary>Worth knowing.</summary>
    Info,

    /// <summary>Reported; the pipeline goes on.</summary>
    Warning,

    /// <summary>Fails the pipeline step.</summary>
    Error,
}

/// <summary>The evidence of a quality check.</summary>
/// <param name="Passed">Whether the data met the expectation.</param>
/// <param name="Severity">How much a failure matters.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record QualityCheckResult(bool Passed, Severity Severity, string Message)
{
    /// <summary>The measured value (e.g. a null ratio or a row count).</summary>
    public JsonNode? ObservedValue { get; init; }

    /// <summary>A few failing rows as JSON objects (keep it small: 10–100 rows).</summary>
    public IReadOnlyList<JsonObject> FailingSamples { get; init; } = [];
}

/// <summary>Evaluates a dataset through the read-only query context. Mark the class with <see cref="QualityCheckAttribute"/>.</summary>
public interface IQualityCheck
{
    /// <summary>The options class.</summary>
    Type OptionsType { get; }

    /// <summary>Evaluates <paramref name="dataset"/> (<c>layer.name</c>).</summary>
    Task<QualityCheckResult> EvaluateAsync(object options, string dataset, IPluginContext context, CancellationToken cancellationToken);
}

/// <summary>Base class for quality checks with typed options.</summary>
public abstract class QualityCheck<TOptions> : IQualityCheck
    where TOptions : class, new()
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <summary>Evaluates <paramref name="dataset"/> (<c>layer.name</c>).</summary>
    public abstract Task<QualityCheckResult> EvaluateAsync(TOptions options, string dataset, IPluginContext context, CancellationToken cancellationToken);

    Task<QualityCheckResult> IQualityCheck.EvaluateAsync(object options, string dataset, IPluginContext context, CancellationToken cancellationToken) =>
        EvaluateAsync((TOptions)options, dataset, context, cancellationToken);
}
