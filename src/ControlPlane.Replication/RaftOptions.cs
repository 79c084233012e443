using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ControlPlane.Replication;

/// <summary>Raft timing, log and snapshot settings (section ControlPlane:Raft, plus Storage sizes).</summary>
public sealed class RaftOptions
{
    public const string Section = "ControlPlane:Raft";

    /// <summary>
    /// The lower bound of the randomized election timeout. Default 1000 ms, etcd's election timeout: with 500 ms a
    /// follower whose AppendEntries reply waits behind a slow flush (DotNext answers only after committing, which waits
    /// for the flush of the committed prefix) on a loaded host started spurious elections under load.
    /// </summary>
    [Range(50, 60_000)]
    public int LowerElectionTimeoutMs { get; set; } = 1000;

    /// <summary>The upper bound of the randomized election timeout. Default 2000 ms (etcd randomizes in [1x, 2x)).</summary>
    [Range(100, 120_000)]
    public int UpperElectionTimeoutMs { get; set; } = 2000;

    /// <summary>
    /// Heartbeat period as a fraction of <see cref="LowerElectionTimeoutMs"/>. Default 0.1: 100 ms, etcd's heartbeat
    /// interval, ten heartbeats per election timeout. Followers learn the commit index from the next round, so this
    /// also bounds how stale an idle follower's applied state (and its watchers) can be.
    /// </summary>
    [Range(0.05, 0.9)]
    public double HeartbeatThreshold { get; set; } = 0.1;

    /// <summary>WAL chunk size; small chunks exhaust file handles and mmaps (see the DotNext notes). Default 16 MiB.</summary>
    [Range(1 << 20, 1 << 30)]
    public int WalChunkSizeBytes { get; set; } = 16 << 20;

    /// <summary>Take a snapshot (and compact the log) after this many bytes of commands. Default 32 MiB.</summary>
    [Range(4096, long.MaxValue)]
    public long SnapshotThresholdBytes { get; set; } = 32L << 20;

    /// <summary>
    /// Which engine keeps the Raft log: <see cref="LogEngine.Segmented"/> (ours: one synced write per flush) or
    /// <see cref="LogEngine.DotNext"/> (DotNext's WAL). Unset: the engine that wrote this data directory's log, and
    /// <see cref="LogEngine.Segmented"/> for a new one. A data directory keeps the engine that created it.
    /// </summary>
    public LogEngine? LogEngine { get; set; }

    /// <summary>
    /// The segmented log starts a new segment file past this size; whole segments are what compaction deletes. Default
    /// 64 MiB, etcd's WAL segment size.
    /// </summary>
    [Range(4096, 1L << 40)]
    public long LogSegmentBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Payload bytes of applied entries the segmented log keeps in memory, for members a little behind; older payloads
    /// are read back from their segment when a member needs them (until a snapshot compacts them). Default 4 MiB.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long LogResidentBytes { get; set; } = 4L << 20;

    /// <summary>Proposals the leader accepts at once; the rest wait, so heartbeats are never starved.</summary>
    [Range(1, 100_000)]
    public int MaxInFlightProposals { get; set; } = 256;

    /// <summary>How long a write waits for a leader to appear before failing Unavailable.</summary>
    [Range(100, 600_000)]
    public int LeaderWaitMs { get; set; } = 5000;
}

/// <summary>The engines that can keep the Raft log (see <see cref="RaftOptions.LogEngine"/>).</summary>
public enum LogEngine
{
    /// <summary><see cref="Log.SegmentedLog"/>, the default for a new data directory.</summary>
    Segmented,

    /// <summary>DotNext's <c>WriteAheadLog</c>, as <see cref="DurableWriteAheadLog"/> (the engine of data directories created before November 25, 2026).</summary>
    DotNext,
}

/// <summary>Who this node is and how the cluster starts (sections ControlPlane:Node and ControlPlane:Cluster).</summary>
public sealed class NodeIdentity
{
    public required string Name { get; init; }

    /// <summary>The address peers use; it is the member identity in Raft.</summary>
    public required IPEndPoint RaftEndpoint { get; init; }

    public required IPEndPoint RaftListenEndpoint { get; init; }

    /// <summary>The gRPC endpoint clients and forwarding peers use.</summary>
    public required string GrpcEndpoint { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>Members seeded into a fresh data directory. Empty for a node that will be added to a running cluster.</summary>
    public IReadOnlyList<ClusterMember> InitialMembers { get; init; } = [];

    /// <summary>
    /// A snapshot file (cpctl snapshot save) to seed a fresh data directory with before the log starts: how a new
    /// cluster is rebuilt after the old one lost quorum. Ignored when the directory was already seeded from it.
    /// </summary>
    public string? RestoreFromSnapshot { get; init; }

    /// <summary>Mutual TLS for the Raft links; null keeps them plaintext (the insecure mode).</summary>
    public RaftTls? RaftTls { get; init; }

    /// <summary>The object size limit the leader stamps into commands.</summary>
    public int MaxObjectBytes { get; init; } = Core.Validation.ResourceLimits.DefaultMaxObjectBytes;
}

/// <summary>A member as configured: a name, its Raft endpoint and its gRPC endpoint.</summary>
public sealed record ClusterMember(string Name, IPEndPoint RaftEndpoint, string GrpcEndpoint);
