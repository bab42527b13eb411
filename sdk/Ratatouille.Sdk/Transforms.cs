using Apache.Arrow;

namespace Ratatouille.Sdk;

/// <summary>The datasets a transform reads, by the names the step gave them.</summary>
public sealed class TransformInput
{
    /// <summary>Creates the input.</summary>
    /// <param name="datasets">Input name → dataset (<c>layer.name</c>).</param>
    /// <param name="output">The dataset the result is written to.</param>
    public TransformInput(IReadOnlyDictionary<string, string> datasets, string output)
    {
        Datasets = datasets;
        Output = output;
    }

    /// <summary>Input name → dataset (<c>layer.name</c>), usable in SQL as written.</summary>
    public IReadOnlyDictionary<string, string> Datasets { get; }

    /// <summary>The dataset the result is written to.</summary>
    public string Output { get; }
}

/// <summary>
/// Datasets in, dataset out. Implement <see cref="SqlTransform{TOptions}"/> (the engine runs your SELECT)
/// or <see cref="BatchTransform{TOptions}"/> (you process record batches). Mark the class with <see cref="TransformAttribute"/>.
/// </summary>
public interface ITransform
{
    /// <summary>The options class.</summary>
    Type OptionsType { get; }
}

/// <summary>A transform the engine runs as one SELECT over the input datasets.</summary>
public abstract class SqlTransform<TOptions> : ITransform
    where TOptions : class, new()
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <summary>The SELECT that produces the output (DuckDB dialect; the engine validates and sandboxes it).</summary>
    public abstract string BuildSql(TOptions options, TransformInput input);

    /// <summary>Untyped entry point for the host.</summary>
    public string BuildSql(object options, TransformInput input) => BuildSql((TOptions)options, input);
}

/// <summary>A transform that turns the batches of its inputs into output batches.</summary>
public abstract class BatchTransform<TOptions> : ITransform
    where TOptions : class, new()
{
    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <summary>The output schema for these options and input schemas (input name → schema).</summary>
    public abstract Schema GetOutputSchema(TOptions options, IReadOnlyDictionary<string, Schema> inputs);

    /// <summary>Produces the output batches; read inputs through <see cref="IPluginContext.Query"/>.</summary>
    public abstract IAsyncEnumerable<RecordBatch> TransformAsync(TOptions options, TransformInput input, IPluginContext context, CancellationToken cancellationToken);
}
