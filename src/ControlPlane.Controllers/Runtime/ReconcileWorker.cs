using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Takes keys from a queue, reconciles them one at a time and turns each result into the queue's next step:
/// Done forgets the key, RequeueAfter delays it, Retry and exceptions back off, Terminal drops it, and a
/// Conflict / NotFound / AlreadyExists from a write requeues it (re-read, not an error).
/// </summary>
internal sealed class ReconcileWorker(
    string controller, WorkQueue queue, IReconciler reconciler, ControllerMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>The <c>result</c> tag of the reconcile metrics.</summary>
    internal static class Results
    {
        public const string Done = "done";
        public const string RequeueAfter = "requeue_after";
        public const string Retry = "retry";
        public const string Terminal = "terminal";
        public const string Conflict = "conflict";
        public const string Error = "error";
        public const string Cancelled = "cancelled";
    }

    /// <summary>Works until the queue shuts down or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ResourceKey? key;
            try
            {
                key = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (key is null) return;
            await ProcessAsync(key.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reconciles one key the caller took from the queue, then marks it done.</summary>
    public async Task ProcessAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = Results.Error;
        try
        {
            result = await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.Done(key);
            metrics.Reconciled(controller, result, time.GetElapsedTime(started));
        }
    }

    private async Task<string> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        ReconcileResult result;
        try
        {
            result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the reconciler of controller {controller} returned null for {key}");
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership is gone (or the host stops): whatever failed, the next leader lists this key again.
            return Results.Cancelled;
        }
        catch (ControlPlaneException e) when (e.Code is ErrorCode.Conflict or ErrorCode.NotFound or ErrorCode.AlreadyExists)
        {
            var delay = queue.AddRateLimited(key);
            ControllerLog.Conflict(logger, controller, key, e.Message, (long)delay.TotalMilliseconds);
            return Results.Conflict;
        }
        catch (Exception e)
        {
            var delay = queue.AddRateLimited(key);
            ControllerLog.ReconcileThrew(logger, e, controller, key, (long)delay.TotalMilliseconds);
            return Results.Error;
        }

        switch (result.Outcome)
        {
            case ReconcileOutcome.Done:
                queue.Forget(key);
                return Results.Done;
            case ReconcileOutcome.RequeueAfter:
                queue.Forget(key);
                queue.AddAfter(key, result.Delay);
                return Results.RequeueAfter;
            case ReconcileOutcome.Retry:
                var delay = queue.AddRateLimited(key);
                ControllerLog.Retrying(logger, controller, key, (long)delay.TotalMilliseconds, result.Error ?? string.Empty);
                return Results.Retry;
            default:
                queue.Forget(key);
                ControllerLog.Terminal(logger, controller, key, result.Error ?? string.Empty);
                return Results.Terminal;
        }
    }
}
