using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins;

/// <summary>
/// Calls into plugin code with the kernel's guard rails: the call runs on the thread pool (so a
/// plugin that blocks cannot block the caller), under a timeout, and anything it throws becomes a
/// <see cref="PluginOperationException"/> with a message for the user. A call that ignores its
/// cancellation is abandoned after the timeout and logged; the kernel carries on.
/// </summary>
public static class PluginInvoker
{
    /// <summary>Extra time a cancelled plugin gets to stop before it is abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static async Task<T> InvokeAsync<T>(ComponentLease lease, string operation, TimeSpan timeout, ILogger logger, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var task = Task.Run(() => call(limit.Token), CancellationToken.None);
        var finished = await Task.WhenAny(task, Task.Delay(timeout + Grace, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default));
        if (finished != task)
        {
            Abandon(task, lease, operation, logger);
            cancellationToken.ThrowIfCancellationRequested();
            throw new PluginOperationException(PluginErrorKind.Faulted,
                $"{Describe(lease)} did not finish {operation} within {timeout.TotalSeconds:0} s and ignored cancellation; the operation was abandoned.");
        }

        try
        {
            return await task;
        }
        catch (Exception ex)
        {
            throw Translate(ex, lease, operation, timeout, logger, cancellationToken);
        }
    }

    /// <summary>Turns what a plugin threw into the kernel's error, or rethrows a caller's cancellation.</summary>
    public static Exception Translate(Exception ex, ComponentLease lease, string operation, TimeSpan? timeout, ILogger logger, CancellationToken callerToken)
    {
        switch (ex)
        {
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return new OperationCanceledException(callerToken);
            case OperationCanceledException when timeout is { } limit:
                return new PluginOperationException(PluginErrorKind.Faulted, $"{Describe(lease)} did not finish {operation} within {limit.TotalSeconds:0} s.", ex);
            case InvalidOptionsException invalid:
                return new PluginOperationException(PluginErrorKind.Invalid, invalid.Message, ex) { Errors = invalid.Errors };
            case PluginException reported:
                return new PluginOperationException(PluginErrorKind.Reported, reported.Message, ex);
            case PluginOperationException kernel:
                return kernel;
            default:
                logger.LogWarning(ex, "{Plugin} failed while {Operation}", Describe(lease), operation);
                return new PluginOperationException(PluginErrorKind.Faulted, $"{Describe(lease)} failed while {operation}: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public static string Describe(ComponentLease lease) =>
        $"Plugin '{lease.Plugin.Id}' {lease.Plugin.Version.ToNormalizedString()} ({PluginHost.Kind(lease.Component.Kind)} '{lease.Component.Id}')";

    private static void Abandon(Task task, ComponentLease lease, string operation, ILogger logger)
    {
        logger.LogError("{Plugin} ignored cancellation while {Operation}; abandoned", Describe(lease), operation);
        _ = task.ContinueWith(t => logger.LogWarning(t.Exception, "{Plugin}: an abandoned call ended", Describe(lease)), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
