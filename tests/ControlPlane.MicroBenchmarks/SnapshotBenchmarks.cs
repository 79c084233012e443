using BenchmarkDotNet.Attributes;
using ControlPlane.Storage.Snapshots;
using ControlPlane.Storage.State;

namespace ControlPlane.MicroBenchmarks;

/// <summary>
/// Writing and reading a whole snapshot: 10,000 objects and a full request-id table (50,000 ids), what every member
/// writes beside apply each time the snapshot threshold is crossed under sustained writes, and what a restart or a
/// snapshot install reads.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private StoreState _state = null!;
    private byte[] _snapshot = null!;
    private MemoryStream _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = Fixtures.RememberRequests(Fixtures.State(10_000), StoreState.MaxRequestRecords);
        using var stream = new MemoryStream();
        SnapshotCodec.Write(_state, stream);
        _snapshot = stream.ToArray();
        _output = new MemoryStream(_snapshot.Length);
    }

    [Benchmark]
    public long Write()
    {
        _output.Position = 0;
        SnapshotCodec.Write(_state, _output);
        return _output.Position;
    }

    [Benchmark]
    public long Read() => SnapshotCodec.Read(new MemoryStream(_snapshot, writable: false)).ObjectCount;
}
