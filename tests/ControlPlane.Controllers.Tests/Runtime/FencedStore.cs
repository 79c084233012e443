using System.Collections.Concurrent;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Watch;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>
/// The real store, seen through the test's leadership: writes are refused (Unavailable) while the test has
/// revoked leadership, exactly as the real store refuses them on a node that is not the leader. Records every
/// write attempt with its result, counts lists and watches, and can end the open watches with a store error.
/// </summary>
internal sealed class FencedStore(IResourceStore inner, ILeadership leadership) : IResourceStore
{
    private readonly ConcurrentQueue<WriteRecord> _writes = new();
    private readonly ConcurrentDictionary<BreakableWatcher, byte> _watchers = new();
    private int _lists;
    private int _watches;
    private int _failNextSubscribe;
    private volatile TaskCompletionSource? _listGate;

    public IReadOnlyCollection<WriteRecord> Writes => _writes;

    public int Lists => Volatile.Read(ref _lists);

    public int Watches => Volatile.Read(ref _watches);

    public async ValueTask<WriteResult> WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (!leadership.IsLeader)
        {
            _writes.Enqueue(new WriteRecord(request, null, true));
            throw new ControlPlaneException(ErrorCode.Unavailable, "this node is not the leader (leadership revoked by the test)");
        }

        var result = await inner.WriteAsync(request, cancellationToken);
        _writes.Enqueue(new WriteRecord(request, result, false));
        return result;
    }

    public ValueTask<(StoredResource? Resource, long AppliedIndex)> GetAsync(ResourceKey key, ReadConsistency consistency, CancellationToken cancellationToken) =>
        inner.GetAsync(key, consistency, cancellationToken);

    public async ValueTask<ListResult> ListAsync(ListQuery query, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        if (_listGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return await inner.ListAsync(query, consistency, cancellationToken);
    }

    /// <summary>Lists wait (after being counted) until <see cref="ReleaseLists"/>, so the test can change the store in between.</summary>
    public void HoldLists() => _listGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseLists() => Interlocked.Exchange(ref _listGate, null)?.TrySetResult();

    public IResourceWatcher Watch(WatchQuery query)
    {
        Interlocked.Increment(ref _watches);
        if (Interlocked.Exchange(ref _failNextSubscribe, 0) is > 0 and var failWith)
        {
            var code = (ErrorCode)failWith;
            throw new ControlPlaneException(code, $"injected by the test: watch from {query.FromResourceVersion} refused with {code}");
        }

        var watcher = new BreakableWatcher(inner.Watch(query), w => _watchers.TryRemove(w, out _));
        _watchers.TryAdd(watcher, 0);
        return watcher;
    }

    /// <summary>Ends every open watch with <paramref name="code"/>, as the store does after a snapshot install or for a slow watcher.</summary>
    public int BreakWatches(ErrorCode code)
    {
        var broken = 0;
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Break(new ControlPlaneException(code, $"injected by the test: watch ended with {code}"));
            broken++;
        }

        return broken;
    }

    /// <summary>The next <see cref="Watch"/> call throws <paramref name="code"/> (as a watch from a compacted position does).</summary>
    public void FailNextSubscribe(ErrorCode code) => Volatile.Write(ref _failNextSubscribe, (int)code);

    /// <summary>Status writes that changed <paramref name="key"/> (not no-ops, not refused, not replays).</summary>
    public int StatusWritesApplied(ResourceKey key) =>
        _writes.Count(w => w.Request.Key == key && w.Request.Kind == WriteKind.UpdateStatus && w.Result is { Succeeded: true, Outcome: WriteOutcome.StatusUpdated, Replayed: false });

    /// <summary>Every write attempt on <paramref name="key"/>, whatever became of it.</summary>
    public int WriteAttempts(ResourceKey key) => _writes.Count(w => w.Request.Key == key);

    public int Refused(ResourceKey key) => _writes.Count(w => w.Request.Key == key && w.Refused);

    public int Conflicts(ResourceKey key) => _writes.Count(w => w.Request.Key == key && w.Result is { Error: ErrorCode.Conflict });

    public sealed record WriteRecord(WriteRequest Request, WriteResult? Result, bool Refused);
}
