using System.Runtime.ExceptionServices;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// Runs the controllers on the leader only. It waits for leadership (which counts only once the new term's
/// barrier is applied, so the store holds every committed write), then for each controller lists every watched
/// kind, queues every key, watches from the list's resourceVersion and runs the workers, until leadership is
/// lost; then it stops them all within <see cref="ControllerHostOptions.StopTimeout"/> and waits for
/// leadership again. A failure of the runtime's own loops stops the host (the exception surfaces from
/// <see cref="BackgroundService.ExecuteTask"/> and, under the default host settings, stops the process);
/// cancellation at shutdown is not an error.
/// </summary>
public sealed class ControllerHost : BackgroundService
{
    private readonly ControllerDefinition[] _definitions;
    private readonly IResourceStore _store;
    private readonly ILeadership _leadership;
    private readonly ControllerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerHostOptions _options;
    private readonly Dictionary<string, ControllerRun> _runs = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _terms;
    private Task _stragglers = Task.CompletedTask;

    public ControllerHost(
        IEnumerable<ControllerDefinition> controllers,
        IResourceStore store,
        ILeadership leadership,
        ControllerMetrics metrics,
        TimeProvider time,
        ILogger<ControllerHost> logger,
        IOptions<ControllerHostOptions> options)
    {
        _definitions = [.. controllers];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in _definitions)
        {
            ArgumentNullException.ThrowIfNull(definition);
            definition.Validate();
            if (!names.Add(definition.Name)) throw new ArgumentException($"two controllers are named \"{definition.Name}\"; names must be unique");
        }

        _options = options.Value;
        _options.Validate();
        _store = store;
        _leadership = leadership;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public IReadOnlyList<string> Controllers => [.. _definitions.Select(d => d.Name)];

    /// <summary>The current state of <paramref name="controller"/>; throws when no controller has that name.</summary>
    public ControllerStatus GetStatus(string controller)
    {
        if (!Array.Exists(_definitions, d => d.Name == controller)) throw new ArgumentException($"no controller is named \"{controller}\"", nameof(controller));
        lock (_gate)
        {
            if (!_runs.TryGetValue(controller, out var run)) return new ControllerStatus(controller, false, 0, 0, 0, 0, 0, 0);
            // The position first: once it covers a change, that change's keys are already in the depths read after it.
            var resourceVersion = run.ResourceVersion;
            var (ready, processing, waiting) = run.Queue.Depths;
            return new ControllerStatus(controller, run.Active, _terms, ready, processing, waiting, run.Known, resourceVersion);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_definitions.Length == 0) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var leadership = await _leadership.WaitForLeadershipAsync(stoppingToken).ConfigureAwait(false);
                if (leadership.IsCancellationRequested)
                {
                    // Lost again before it could start: do not spin on a token that is already gone.
                    await Task.Delay(_options.ListRetryBaseDelay, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (!_stragglers.IsCompleted)
                {
                    // Never two reconciles of one key at once, not even across terms.
                    ControllerLog.AwaitingStragglers(_logger, _definitions.Length);
                    await _stragglers.WaitAsync(stoppingToken).ConfigureAwait(false);
                }

                await RunTermAsync(leadership, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception e)
        {
            ControllerLog.HostFailed(_logger, e);
            throw;
        }
    }

    private async Task RunTermAsync(CancellationToken leadership, CancellationToken stopping)
    {
        // One controller failing ends the term for all of them, and then the host.
        using var abort = new CancellationTokenSource();
        ControllerLog.Leading(_logger, _definitions.Length);
        var runs = new ControllerRun[_definitions.Length];
        lock (_gate)
        {
            _terms++;
            for (var i = 0; i < runs.Length; i++)
            {
                runs[i] = new ControllerRun(_definitions[i], _store, _options, _metrics, _time, _logger);
                _runs[_definitions[i].Name] = runs[i];
            }
        }

        var pending = runs.Select(r => r.RunAsync(leadership, abort.Token, stopping)).ToList();
        var stragglers = new List<Task>();
        Exception? fault = null;
        while (pending.Count > 0)
        {
            var ended = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(ended);
            if (ended.IsCompletedSuccessfully)
            {
                stragglers.Add(ended.Result);
            }
            else if (fault is null)
            {
                fault = ended.Exception?.InnerException ?? new OperationCanceledException("a controller run was cancelled");
                await abort.CancelAsync().ConfigureAwait(false);
            }
        }

        var abandoned = Task.WhenAll(stragglers);
        _stragglers = abandoned.ContinueWith(
            _ =>
            {
                foreach (var run in runs) run.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        if (fault is not null) ExceptionDispatchInfo.Capture(fault).Throw();
        if (!stopping.IsCancellationRequested) ControllerLog.NotLeading(_logger);
    }
}
