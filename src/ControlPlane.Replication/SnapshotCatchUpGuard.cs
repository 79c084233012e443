using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// Works around a DotNext 6.12 liveness bug that locks a follower out after a snapshot installation. The leader sends
/// InstallSnapshot with the transport's RequestTimeout, which must stay at or below the lower election timeout
/// (a candidate waits for every vote within its election timeout, so a longer request timeout fails elections
/// whenever one peer is silent). Installing a snapshot of a few MiB on a loaded machine takes longer than that: the
/// follower installs it, but the leader sees a timeout and sends the same snapshot again. The follower rejects a
/// snapshot that is not past its commit index, and the leader answers a rejection by lowering the follower's next
/// index by one, which keeps it inside the compacted range: the same snapshot again, rejected again, down to 0. The
/// follower hears no accepted message, turns Candidate, and stays one (PreVote keeps it from disrupting the term)
/// until the leader happens to take a newer snapshot, and even that one only helps if it installs within the timeout.
/// <para>
/// The guard runs on the leader: a member that answers (Available) but whose next index has stayed at or below the
/// leader's snapshot index for two checks in a row gets its next index reset to the leader's last index + 1, which is
/// what a newly elected leader does. The next AppendEntries is then rejected with the follower's real last index (the
/// snapshot it installed), the leader continues right after it, and the follower rejoins; a follower that really lacks
/// the snapshot answers with its older index and is sent the snapshot again.
/// </para>
/// </summary>
internal sealed partial class SnapshotCatchUpGuard
{
    private readonly RaftCluster _cluster;
    private readonly ISnapshotManager _snapshots;
    private readonly IPersistentState _log;
    private readonly ILogger _logger;
    private readonly Dictionary<EndPoint, long> _stuckAt = [];

    public SnapshotCatchUpGuard(RaftCluster cluster, ISnapshotManager snapshots, IPersistentState log, ILogger logger)
    {
        _cluster = cluster;
        _snapshots = snapshots;
        _log = log;
        _logger = logger;
    }

    /// <summary>Checks every <paramref name="period"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan period, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ReplicationStateAccess.IsAvailable)
        {
            LogUnavailable();
            return;
        }

        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>One round: returns how many members had their next index reset.</summary>
    public int Check()
    {
        if (_cluster.LeadershipToken.IsCancellationRequested)
        {
            _stuckAt.Clear();
            return 0;
        }

        var snapshotIndex = SnapshotIndex();
        var resets = 0;
        foreach (var member in _cluster.Members)
        {
            if (!member.IsRemote) continue;
            var next = ReplicationStateAccess.GetNextIndex(member);
            if (snapshotIndex <= 0 || next > snapshotIndex || member.Status != ClusterMemberStatus.Available)
            {
                _stuckAt.Remove(member.EndPoint);
                continue;
            }

            if (_stuckAt.TryGetValue(member.EndPoint, out var earlier) && next <= earlier)
            {
                var reset = _log.LastEntryIndex + 1;
                ReplicationStateAccess.SetNextIndex(member, reset);
                _stuckAt.Remove(member.EndPoint);
                LogReset(member.EndPoint, next, snapshotIndex, reset);
                resets++;
            }
            else
            {
                _stuckAt[member.EndPoint] = next;
            }
        }

        return resets;
    }

    private long SnapshotIndex()
    {
        try
        {
            return _snapshots.Snapshot?.Index ?? 0;
        }
        catch (InvalidOperationException)
        {
            return 0; // Not restored yet.
        }
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Member {Member} has been sent the snapshot at {Snapshot} again and again (next index {Next}); resetting its next index to {Reset} so it continues after the snapshot it already installed")]
    private partial void LogReset(EndPoint member, long next, long snapshot, long reset);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Warning, Message = "This DotNext version does not expose RaftClusterMember.state.NextIndex; the snapshot catch-up guard is off")]
    private partial void LogUnavailable();
}
