using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Scenarios;

/// <summary>What one watcher of the watch scenario saw: events received, their delivery latency, how it ended.</summary>
internal sealed class WatcherState
{
    private long _received;

    public LatencyHistogram Delivery { get; } = new();

    public long Received => Interlocked.Read(ref _received);

    public bool Established { get; set; }

    public Exception? Failure { get; set; }

    /// <summary>True when the stream ended by itself (not cancelled by the run).</summary>
    public bool Ended { get; set; }

    public void CountEvent() => Interlocked.Increment(ref _received);
}
