using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Watch;
using ControlPlane.Replication.Log;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.State;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// The resource store over Raft. Writes are accepted only on the leader, which stamps uid, time and limits
/// into a command, replicates it and answers with the state machine's result once it is applied. Reads are
/// served from this node's applied view, after the read barrier the consistency asks for.
/// </summary>
public sealed partial class RaftResourceStore : IResourceStore, IDisposable
{
    private readonly RaftNode _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _inFlight;
    private readonly SharedReadBarrier _readBarrier;
    private readonly Func<long> _currentTerm;
    private readonly TimeSpan _leaderWait;

    public RaftResourceStore(RaftNode node, TimeProvider time, ILogger<RaftResourceStore> logger)
        : this(node, time, logger, token => node.Cluster.ApplyReadBarrierAsync(ReadBarrierType.Strong, token).AsTask())
    {
    }

    /// <summary>
    /// With the read barrier given, so tests can make it fail the ways a lost leader makes it fail, and the current
    /// term, so they can put this node's applied term behind it.
    /// </summary>
    internal RaftResourceStore(RaftNode node, TimeProvider time, ILogger<RaftResourceStore> logger, Func<CancellationToken, Task> readBarrier, Func<long>? currentTerm = null)
    {
        _node = node;
        _time = time;
        _logger = logger;
        _inFlight = new SemaphoreSlim(node.Options.MaxInFlightProposals);
        _leaderWait = TimeSpan.FromMilliseconds(node.Options.LeaderWaitMs);
        _readBarrier = new SharedReadBarrier(readBarrier, _leaderWait);
        _currentTerm = currentTerm ?? (() => node.Term);
    }

    public RaftNode Node => _node;

    /// <summary>The latest applied view of this replica (no barrier).</summary>
    public StoreState LocalState => _node.StateMachine.State;

    public async ValueTask<WriteResult> WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (!_node.IsLeader) throw await NotLeaderAsync("this node is not the leader", cancellationToken).ConfigureAwait(false);
        var command = ResourceCommand.FromRequest(
            request, Guid.NewGuid().ToString("D"), _time.GetUtcNow().ToUnixTimeMilliseconds(), _node.Identity.MaxObjectBytes);
        var payload = CommandCodec.Encode(command);
        var completion = new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _node.Cluster.ReplicateAsync(payload, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (NotLeaderException)
        {
            // The entry may still commit under the next leader: the outcome is unknown, and a retry with the
            // same request id is answered from the replicated request table instead of applying twice.
            throw await NotLeaderAsync("leadership changed while the write was in flight; its outcome is unknown, retry with the same request id", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }

        return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<(StoredResource? Resource, long AppliedIndex)> GetAsync(ResourceKey key, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var view = await ReadViewAsync(consistency, cancellationToken).ConfigureAwait(false);
        return (view.Find(key), view.AppliedIndex);
    }

    public async ValueTask<ListResult> ListAsync(ListQuery query, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var view = await ReadViewAsync(consistency, cancellationToken).ConfigureAwait(false);
        return StoreQueries.List(view, query);
    }

    public IResourceWatcher Watch(WatchQuery query) => _node.Watches.Subscribe(query);

    /// <summary>Returns a view at least as fresh as <paramref name="consistency"/> requires.</summary>
    public async ValueTask<StoreState> ReadViewAsync(ReadConsistency consistency, CancellationToken cancellationToken)
    {
        switch (consistency.Mode)
        {
            case ReadMode.Linearizable:
                try
                {
                    await _readBarrier.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (MeansNoReachableLeader(e, cancellationToken))
                {
                    throw await NotLeaderAsync($"cannot confirm a linearizable read: no reachable leader ({e.GetType().Name})", cancellationToken).ConfigureAwait(false);
                }

                await WaitForCurrentTermAsync(cancellationToken).ConfigureAwait(false);
                break;
            case ReadMode.NotOlderThan:
                if (_node.StateMachine.State.AppliedIndex < consistency.MinResourceVersion)
                {
                    try
                    {
                        await _node.Log.WaitForApplyAsync(consistency.MinResourceVersion, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw new ControlPlaneException(ErrorCode.Unavailable, $"this node has applied up to {_node.StateMachine.State.AppliedIndex}, not yet {consistency.MinResourceVersion}, within the deadline");
                    }
                }

                break;
        }

        return _node.StateMachine.State;
    }

    public void Dispose() => _inFlight.Dispose();

    /// <summary>
    /// Waits until this node has applied an entry of the current term (Raft, section 8). On a follower, DotNext's
    /// barrier answers with the leader's commit index; a leader just elected still has the commit index it recovered,
    /// which can be behind what the previous leader acknowledged, until its own first entry (an empty one, which
    /// DotNext appends at election) commits. That entry is applied here only after everything committed before it, so a
    /// read that waits for it cannot miss an acknowledged write. On the leader the barrier has already waited for it.
    /// </summary>
    private async ValueTask WaitForCurrentTermAsync(CancellationToken cancellationToken)
    {
        // Commands carry their term into the state machine: with writes flowing, that answers without a log read.
        var term = _currentTerm();
        if (_node.StateMachine.AppliedTerm >= term) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_leaderWait);
        var applied = 0L;
        try
        {
            while (true)
            {
                // DotNext's engine applies empty entries without the state machine: ask the log for the term.
                applied = _node.Log.LastAppliedIndex;
                if (_node.StateMachine.AppliedTerm >= term || await EntryTerm.ReadAsync(_node.Log, applied, deadline.Token).ConfigureAwait(false) >= term) return;
                await _node.Log.WaitForApplyAsync(applied + 1, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw await NotLeaderAsync($"cannot confirm a linearizable read: this node has applied up to index {applied}, and no entry of the current term {term} within {_leaderWait.TotalMilliseconds:0} ms", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The ways a read barrier fails when the leader is lost, unreachable or this node cannot see a quorum: the
    /// caller should retry (on the leader, if one is known), so these are Unavailable, never Internal. They count
    /// even when the caller's deadline passed meanwhile; only a cancellation that is the caller's own stays one.
    /// </summary>
    private static bool MeansNoReachableLeader(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        DotNext.Net.Cluster.MemberUnavailableException or QuorumUnreachableException or NotLeaderException or LeaderOperationException => true,
        DotNext.Net.Cluster.Consensus.ConsensusProtocolException or TimeoutException or IOException or InvalidOperationException => true,
        _ => false,
    };

    private async ValueTask<ControlPlaneException> NotLeaderAsync(string message, CancellationToken cancellationToken)
    {
        string? hint;
        try
        {
            hint = await _node.GetLeaderGrpcEndpointAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Looking up the leader may ask it over the network; with the deadline gone, answer without a hint.
            hint = null;
        }

        return new ControlPlaneException(ErrorCode.Unavailable, hint is null ? $"{message}; no leader is known" : $"{message}; the leader is {hint}")
        {
            LeaderHint = hint,
        };
    }
}
