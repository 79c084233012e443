using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPlane.Node.Api;
using ControlPlane.Replication;
using ControlPlane.Replication.Log;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Node.Telemetry;

/// <summary>
/// The node's own meter: gauges DotNext does not provide (term, leadership, log indexes, apply lag, object
/// count) and a "seconds since the applied index last moved while behind the commit index" stall gauge.
/// </summary>
public sealed class NodeTelemetry : IDisposable
{
    public const string MeterName = "ControlPlane.Node";
    public const string ActivitySourceName = "ControlPlane.Node";

    /// <summary>The meters DotNext publishes (see the DotNext notes, section 5).</summary>
    public static readonly string[] DotNextMeters =
    [
        "DotNext.Net.Cluster.Consensus.Raft.Server",
        "DotNext.Net.Cluster.Consensus.Raft.Client",
        "DotNext.IO.WriteAheadLog",
        "DotNext.Threading.AsyncLock",
    ];

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Meter _meter = new(MeterName);
    private readonly RaftNode _node;
    private readonly TimeProvider _time;
    private long _lastApplied;
    private long _lastProgress;

    public NodeTelemetry(RaftNode node, TimeProvider time, WatchPacer pacer)
    {
        _node = node;
        _time = time;
        _lastProgress = time.GetTimestamp();
        _meter.CreateObservableGauge("controlplane.raft.term", () => ((IPersistentState)node.Log).Term, description: "Current Raft term");
        _meter.CreateObservableGauge("controlplane.raft.is_leader", () => node.IsLeader ? 1 : 0, description: "1 while this node leads");
        _meter.CreateObservableGauge("controlplane.raft.last_log_index", () => node.Log.LastEntryIndex);
        _meter.CreateObservableGauge("controlplane.raft.commit_index", () => node.Log.LastCommittedEntryIndex);
        _meter.CreateObservableGauge("controlplane.raft.applied_index", () => node.Log.LastAppliedIndex);
        _meter.CreateObservableGauge("controlplane.raft.apply_lag", () => node.Log.LastCommittedEntryIndex - node.Log.LastAppliedIndex, unit: "{entry}");
        _meter.CreateObservableCounter("controlplane.raft.follower_synced_entries", () => node.Log.FollowerSyncedEntries, unit: "{entry}", description: "Entries flushed to disk before this node acknowledged them as a follower");
        _meter.CreateObservableGauge("controlplane.raft.snapshot_index", () => node.StateMachine.Snapshot?.Index ?? 0, description: "Index of the newest snapshot on disk; the log is compacted up to it");
        _meter.CreateObservableCounter("controlplane.raft.snapshots_written", () => node.StateMachine.SnapshotsWritten, unit: "{snapshot}", description: "Snapshots this node wrote beside apply since it started");
        _meter.CreateObservableCounter("controlplane.raft.snapshot_write_failures", () => node.StateMachine.SnapshotWriteFailures, unit: "{snapshot}", description: "Snapshot writes that failed; the log is not compacted until one succeeds");
        _meter.CreateObservableGauge("controlplane.store.objects", () => node.StateMachine.State.ObjectCount, unit: "{object}");
        _meter.CreateObservableGauge("controlplane.raft.apply_stalled", StalledSeconds, unit: "s", description: "Seconds the applied index has not moved while behind the commit index");
        _meter.CreateObservableGauge("controlplane.watch.coalescing_streams", () => pacer.Streams, unit: "{stream}", description: "Open watch streams that asked for coalesce_commits, which pacing counts");
        _meter.CreateObservableGauge("controlplane.watch.coalesce_interval", () => pacer.Interval.TotalSeconds, unit: "s", description: "How long a coalescing stream that just sent events waits before sending more; 0 while pacing holds nobody");

        // The segmented log's own figures (DotNext's WAL publishes its meters under DotNext.IO.WriteAheadLog).
        if (node.Log is SegmentedLog log)
        {
            _meter.CreateObservableCounter("controlplane.log.flushes", () => log.Flushes, unit: "{flush}", description: "Synced writes of the Raft log: one per flush, each carrying every record queued");
            _meter.CreateObservableCounter("controlplane.log.flushed", () => log.FlushedBytes, unit: "By", description: "Bytes of Raft log records written");
            _meter.CreateObservableGauge("controlplane.log.segments", () => log.SegmentCount, unit: "{file}", description: "Segment files of the Raft log; the oldest go once a snapshot holds their entries");
            _meter.CreateObservableGauge("controlplane.log.resident", () => log.ResidentAppliedBytes, unit: "By", description: "Payload bytes of applied Raft log entries still in memory; older ones are read back from disk when a member needs them");
        }
    }

    private double StalledSeconds()
    {
        var applied = _node.Log.LastAppliedIndex;
        var now = _time.GetTimestamp();
        if (applied != Interlocked.Exchange(ref _lastApplied, applied) || applied >= _node.Log.LastCommittedEntryIndex)
        {
            Interlocked.Exchange(ref _lastProgress, now);
            return 0;
        }

        return _time.GetElapsedTime(Interlocked.Read(ref _lastProgress), now).TotalSeconds;
    }

    public void Dispose() => _meter.Dispose();
}
