using System.Runtime.ExceptionServices;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// One controller for one leadership term: a fresh queue, an informer per watched kind, the workers and the
/// resync timer. Everything of the term dies with it; the next term lists again from scratch, so nothing the
/// old term queued is lost, and nothing it half did is trusted.
/// </summary>
internal sealed class ControllerRun : IDisposable
{
    private readonly ControllerDefinition _definition;
    private readonly ControllerHostOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Informer[] _informers;
    private readonly ReconcileWorker _worker;
    private volatile bool _active;

    public ControllerRun(ControllerDefinition definition, IResourceStore store, ControllerHostOptions options, ControllerMetrics metrics, TimeProvider time, ILogger logger)
    {
        _definition = definition;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Queue = new WorkQueue(definition.Name, definition.Queue, time, random: null, metrics);
        _informers = [.. definition.Watches.Select(w => new Informer(definition.Name, w, store, Queue, options, time, logger))];
        _worker = new ReconcileWorker(definition.Name, Queue, definition.Reconciler, metrics, time, logger);
    }

    public WorkQueue Queue { get; }

    /// <summary>True from the end of the initial lists until the term stops.</summary>
    public bool Active => _active;

    public int Known => _informers.Sum(i => i.Count);

    /// <summary>The oldest position any of this run's views is complete up to.</summary>
    public long ResourceVersion => _informers.Min(i => i.ResourceVersion);

    /// <summary>
    /// Runs until <paramref name="leadership"/> is lost, <paramref name="abort"/> is cancelled (another controller
    /// failed) or <paramref name="stopping"/> is cancelled, then stops within the stop timeout. Returns the
    /// reconciles it had to abandon (a completed task when none). Throws when a loop of this controller failed.
    /// </summary>
    public async Task<Task> RunAsync(CancellationToken leadership, CancellationToken abort, CancellationToken stopping)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(leadership, abort, stopping);

        // Reconciles stop at once when leadership is lost (their writes would be refused); at host stop they
        // first get the stop timeout to finish.
        var reconcile = CancellationTokenSource.CreateLinkedTokenSource(leadership, abort);
        var loops = new List<Task>();
        Task[] workers = [];
        Exception? fault = null;
        try
        {
            await Task.WhenAll(_informers.Select(i => i.ListAsync(term.Token))).ConfigureAwait(false);
            workers = [.. Enumerable.Range(0, _definition.Workers).Select(_ => Task.Run(() => _worker.RunAsync(reconcile.Token), CancellationToken.None))];
            loops.AddRange(_informers.Select(i => i.WatchAsync(term.Token)));
            if (_definition.ResyncPeriod > TimeSpan.Zero) loops.Add(ResyncAsync(term.Token));
            _active = true;
            _metrics.SetActive(_definition.Name, true);
            ControllerLog.Started(_logger, _definition.Name, Known, string.Join(", ", _informers.Select(i => i.Source)), ResourceVersion, _definition.Workers);

            var termEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = term.Token.Register(() => termEnded.TrySetResult());
            var ended = await Task.WhenAny([.. loops, .. workers, termEnded.Task]).ConfigureAwait(false);
            if (ended.IsFaulted) fault = ended.Exception!.InnerException;
            // Ask the source tokens: the linked ones are cancelled by callbacks, and a worker can end on its own
            // token before the term's callback has run.
            else if (!leadership.IsCancellationRequested && !abort.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                fault = new InvalidOperationException($"controller {_definition.Name}: a loop ended while this node still leads");
            }
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // The term ended during the initial lists.
        }
        catch (Exception e)
        {
            fault = e;
        }

        var cause = fault is not null ? "failed"
            : leadership.IsCancellationRequested ? "leadership lost"
            : abort.IsCancellationRequested ? "another controller failed"
            : "host stopping";
        var stragglers = await StopAsync(term, reconcile, loops, workers, cause).ConfigureAwait(false);
        if (fault is not null) ExceptionDispatchInfo.Capture(fault).Throw();
        return stragglers;
    }

    public void Dispose() => Queue.Dispose();

    private async Task<Task> StopAsync(CancellationTokenSource term, CancellationTokenSource reconcile, List<Task> loops, Task[] workers, string cause)
    {
        var started = _time.GetTimestamp();
        await term.CancelAsync().ConfigureAwait(false);
        _active = false;
        _metrics.SetActive(_definition.Name, false);
        var dropped = Queue.ShutDown();
        var idle = await Queue.WaitForIdleAsync(_options.StopTimeout).ConfigureAwait(false);
        if (!idle && !reconcile.IsCancellationRequested)
        {
            await reconcile.CancelAsync().ConfigureAwait(false);
            idle = await Queue.WaitForIdleAsync(_options.StopTimeout).ConfigureAwait(false);
        }

        // Anything still running sees a cancelled token from here on.
        await reconcile.CancelAsync().ConfigureAwait(false);
        var rest = Task.WhenAll([.. loops, .. workers]).ContinueWith(
            t =>
            {
                _ = t.Exception;
                reconcile.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        if (idle)
        {
            // Nothing is processing, so the workers only have to notice the shutdown and the loops the
            // cancellation; bound it all the same, so a loop stuck in a call that ignores its token cannot hold the host.
            try
            {
                await rest.WaitAsync(_options.StopTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                idle = false;
            }
        }

        if (!idle)
        {
            ControllerLog.Abandoned(_logger, _definition.Name, cause, Queue.Processing, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return rest;
        }

        ControllerLog.Stopped(_logger, _definition.Name, cause, dropped, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return Task.CompletedTask;
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_definition.ResyncPeriod, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var informer in _informers) informer.Resync();
        }
    }
}
