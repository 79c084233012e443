using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Testing.InProcess;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Replication.Tests;

/// <summary>
/// A linearizable read whose read barrier fails because the leader is lost, unreachable or out of quorum answers
/// Unavailable with the leader hint, so the SDK retries elsewhere; it never surfaces DotNext's exception as Internal.
/// </summary>
public sealed class ReadBarrierFailureTests : IAsyncLifetime
{
    private static readonly ResourceKey Key = ResourceKey.Create("example.com/v1", "Widget", "default", "w");
    private SingleNodeStore? _node;

    private SingleNodeStore Node => _node ?? throw new InvalidOperationException("not started");

    public static TheoryData<string> Failures => ["member unavailable", "quorum unreachable", "not leader", "timeout", "barrier timed out", "socket closed"];

    public async Task InitializeAsync() => _node = await SingleNodeStore.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task LinearizableRead_BarrierFailsForLeaderLoss_Unavailable_WithLeaderHint(string failure)
    {
        using var store = Store(_ => Task.FromException(Failure(failure)));
        var e = await Assert.ThrowsAsync<ControlPlaneException>(async () => await store.GetAsync(Key, ReadConsistency.Linearizable, CancellationToken.None));
        Assert.Equal(ErrorCode.Unavailable, e.Code);
        Assert.Contains("cannot confirm a linearizable read", e.Message, StringComparison.Ordinal);
        Assert.Equal(Node.Node.Identity.GrpcEndpoint, e.LeaderHint);
    }

    [Fact]
    public async Task LinearizableRead_BarrierFailsAsTheDeadlinePasses_StillUnavailable()
    {
        // Under load the caller's deadline and the barrier's failure arrive together: the failure is what the read
        // saw, and it must not escape as an unknown exception (which the node answers with INTERNAL).
        using var deadline = new CancellationTokenSource();
        using var store = Store(_ =>
        {
            deadline.Cancel();
            return Task.FromException(Failure("member unavailable"));
        });
        var e = await Assert.ThrowsAsync<ControlPlaneException>(async () => await store.ListAsync(new ListQuery { Kind = Key.ResourceKind }, ReadConsistency.Linearizable, deadline.Token));
        Assert.Equal(ErrorCode.Unavailable, e.Code);
        Assert.Contains(nameof(MemberUnavailableException), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinearizableRead_CallerCancelled_StaysCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        var gate = new TaskCompletionSource();
        using var store = Store(token => gate.Task.WaitAsync(token));
        var read = store.GetAsync(Key, ReadConsistency.Linearizable, cancelled.Token).AsTask();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task LinearizableRead_BarrierHasABug_NotDisguisedAsUnavailable()
    {
        using var store = Store(_ => Task.FromException(new NullReferenceException("a bug")));
        await Assert.ThrowsAsync<NullReferenceException>(async () => await store.GetAsync(Key, ReadConsistency.Linearizable, CancellationToken.None));
    }

    [Fact]
    public async Task LinearizableRead_NoEntryOfTheCurrentTermApplied_UnavailableAfterTheLeaderWait()
    {
        // A follower's barrier answered by a leader just elected gives that leader's recovered commit index, which may
        // miss writes the previous leader acknowledged: the read must not be served until this node has applied an
        // entry of the current term.
        var term = Node.Node.StateMachine.AppliedTerm;
        using var store = Store(_ => Task.CompletedTask, () => term + 1);
        var e = await Assert.ThrowsAsync<ControlPlaneException>(async () => await store.GetAsync(Key, ReadConsistency.Linearizable, CancellationToken.None));
        Assert.Equal(ErrorCode.Unavailable, e.Code);
        Assert.Contains($"no entry of the current term {term + 1}", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// On both engines: the segmented log passes the new leader's empty first entry to the state machine, DotNext's
    /// WAL applies it without it, so there the read must learn the applied entry's term from the log.
    /// </summary>
    [Theory]
    [InlineData(LogEngine.Segmented)]
    [InlineData(LogEngine.DotNext)]
    public async Task LinearizableRead_WaitsForAnEntryOfTheCurrentTerm_WhichTheNextLeadersFirstEntryIs(LogEngine engine)
    {
        await using var node = await SingleNodeStore.StartAsync(logEngine: engine);
        var next = node.Node.Term + 1;
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var store = new RaftResourceStore(node.Node, TimeProvider.System, NullLogger<RaftResourceStore>.Instance, _ => Task.CompletedTask, () =>
        {
            asked.TrySetResult();
            return next;
        });
        var read = store.GetAsync(Key, ReadConsistency.Linearizable, CancellationToken.None).AsTask();
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(node.Node.Term < next);
        Assert.False(read.IsCompleted, "the read was served before any entry of the term it asked for was applied");

        // Stepping down makes this single member elect itself again, in the next term, whose first entry is empty.
        Assert.True(await node.Node.ResignAsync(CancellationToken.None));
        await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(node.Node.Term >= next);
    }

    private RaftResourceStore Store(Func<CancellationToken, Task> barrier, Func<long>? currentTerm = null) =>
        new(Node.Node, TimeProvider.System, NullLogger<RaftResourceStore>.Instance, barrier, currentTerm);

    private Exception Failure(string failure) => failure switch
    {
        "member unavailable" => new MemberUnavailableException(Node.Node.Cluster.Members.First(), "connection refused", new IOException("connection refused")),
        "quorum unreachable" => new QuorumUnreachableException(new IOException("no quorum")),
        "not leader" => new NotLeaderException(new IOException("leader gone")),
        "timeout" => new TimeoutException("no answer from the leader"),
        "barrier timed out" => new TaskCanceledException("the barrier's own timeout"),
        "socket closed" => new IOException("the connection to the leader was reset"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "unknown failure"),
    };
}
