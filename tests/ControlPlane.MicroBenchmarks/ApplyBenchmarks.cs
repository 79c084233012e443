using BenchmarkDotNet.Attributes;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.State;

namespace ControlPlane.MicroBenchmarks;

/// <summary>One command applied to a store of 10,000 objects: what the Raft apply loop pays per entry.</summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private const int Objects = 10_000;
    private StoreState _state = null!;
    private StoreState _fullTable = null!;
    private long _fullTableIndex;
    private ResourceCommand[] _freshIds = null!;
    private ResourceCommand _create = null!;
    private ResourceCommand _replace = null!;
    private ResourceCommand _replaceWithRequestId = null!;
    private ResourceCommand _patch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = Fixtures.State(Objects);
        _create = Fixtures.Put(Objects + 1, 1);
        _replace = Fixtures.Put(Objects / 2, 2);
        _replaceWithRequestId = Fixtures.Put(Objects / 2, 2, "3f2a9c0e5b7d4e1f8a6b2c3d4e5f6a7b");
        // One more than the table holds: the queue of ids has then turned over once, as on a member that has run a while
        // (ImmutableQueue reverses its list once per turn; measuring that moment alone would say little of steady state).
        _fullTable = Fixtures.RememberRequests(_state, StoreState.MaxRequestRecords + 1);
        _fullTableIndex = _fullTable.AppliedIndex;

        // Apply always extends the state it applied last, with a request id it has not seen: so does this benchmark,
        // cycling through more ids than the table holds, so that each has been forgotten before it comes again.
        ResourceCommand[] specs = [Fixtures.Put(Objects / 2, 2), Fixtures.Put(Objects / 2, 3)];
        _freshIds = [.. Enumerable.Range(0, 2 * StoreState.MaxRequestRecords + 1).Select(i => specs[i % 2] with { RequestId = $"{i:x32}" })];
        _patch = Fixtures.Patch(Objects / 2, """{"spec":{"replicas":5},"metadata":{"labels":{"canary":"true"}}}""");
    }

    [Benchmark]
    public ApplyOutcome PutCreate() => ResourceApplier.Apply(_state, Objects + 1, _create);

    [Benchmark]
    public ApplyOutcome PutReplace() => ResourceApplier.Apply(_state, Objects + 1, _replace);

    [Benchmark]
    public ApplyOutcome PutReplaceWithRequestId() => ResourceApplier.Apply(_state, Objects + 1, _replaceWithRequestId);

    /// <summary>
    /// As every write through the API: the request-id table is full, so the write also forgets the oldest id; each
    /// write applies to the state the one before it made, with a new id, and alternates the spec so none is a NoOp.
    /// </summary>
    [Benchmark]
    public ApplyOutcome PutReplaceWithRequestIdFullTable()
    {
        var outcome = ResourceApplier.Apply(_fullTable, ++_fullTableIndex, _freshIds[(int)(_fullTableIndex % _freshIds.Length)]);
        _fullTable = outcome.State;
        return outcome;
    }

    [Benchmark]
    public ApplyOutcome Patch() => ResourceApplier.Apply(_state, Objects + 1, _patch);
}
