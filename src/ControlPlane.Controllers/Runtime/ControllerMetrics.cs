using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// The controller runtime's instruments, on one meter named <see cref="MeterName"/>. Every measurement is
/// tagged with the controller's name; reconcile outcomes also with the result. Tags stay low-cardinality:
/// never a key.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "ControlPlane.Controllers";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly ConcurrentDictionary<WorkQueue, byte> _queues = new();
    private readonly ConcurrentDictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Counter<long> _adds;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Histogram<double> _queueWait;

    /// <param name="meterFactory">The host's factory; without one the meter is created (and disposed) here.</param>
    public ControllerMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("controlplane.controller.queue.depth", ObserveDepth, "{key}", "Keys queued and ready for a worker");
        _meter.CreateObservableGauge("controlplane.controller.active", ObserveActive, null, "1 while the controller runs on this node (it leads), else 0");
        _adds = _meter.CreateCounter<long>("controlplane.controller.queue.adds", "{key}", "Keys added to the work queue (duplicates of a queued key not counted)");
        _retries = _meter.CreateCounter<long>("controlplane.controller.queue.retries", "{key}", "Keys requeued with backoff");
        _outcomes = _meter.CreateCounter<long>("controlplane.controller.reconcile.outcomes", "{reconcile}", "Reconciles by result");
        _reconcileDuration = _meter.CreateHistogram<double>("controlplane.controller.reconcile.duration", "s", "Time spent in one reconcile");
        _queueWait = _meter.CreateHistogram<double>("controlplane.controller.queue.wait", "s", "Time a key waited in the queue before a worker took it");
    }

    /// <summary>The meter, for listeners that must tell this instance from others of the same name.</summary>
    public Meter Meter => _meter;

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }

    internal void Register(WorkQueue queue) => _queues.TryAdd(queue, 0);

    internal void Unregister(WorkQueue queue) => _queues.TryRemove(queue, out _);

    internal void SetActive(string controller, bool active) => _active[controller] = active ? 1 : 0;

    internal void Added(string controller) => _adds.Add(1, Tag(controller));

    internal void Retried(string controller) => _retries.Add(1, Tag(controller));

    internal void Dequeued(string controller, TimeSpan waited) => _queueWait.Record(waited.TotalSeconds, Tag(controller));

    internal void Reconciled(string controller, string result, TimeSpan duration)
    {
        var tags = new TagList { { "controller", controller }, { "result", result } };
        _outcomes.Add(1, tags);
        _reconcileDuration.Record(duration.TotalSeconds, tags);
    }

    private static KeyValuePair<string, object?> Tag(string controller) => new("controller", controller);

    private IEnumerable<Measurement<int>> ObserveDepth()
    {
        foreach (var queue in _queues.Keys) yield return new Measurement<int>(queue.Count, Tag(queue.Name));
    }

    private IEnumerable<Measurement<int>> ObserveActive()
    {
        foreach (var (controller, active) in _active) yield return new Measurement<int>(active, Tag(controller));
    }
}
