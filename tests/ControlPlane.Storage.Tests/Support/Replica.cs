using System.Text.Json.Nodes;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Snapshots;

namespace ControlPlane.Storage.Tests.Support;

/// <summary>A state and the next log index: applies commands one after another, as the Raft apply loop does.</summary>
internal sealed class Replica
{
    public StoreState State { get; private set; } = StoreState.Empty;

    public ApplyOutcome Apply(ResourceCommand command)
    {
        var outcome = ResourceApplier.Apply(State, State.AppliedIndex + 1, command);
        State = outcome.State;
        return outcome;
    }

    /// <summary>Applies each command and returns the last outcome.</summary>
    public ApplyOutcome ApplyAll(params ResourceCommand[] commands)
    {
        ApplyOutcome last = default;
        foreach (var command in commands) last = Apply(command);
        return last;
    }

    public StoredResource Get(string name) =>
        State.Find(TestCommands.Key(name)) ?? throw new Xunit.Sdk.XunitException($"expected {name} to be stored; the state has {State.ObjectCount} objects");

    public JsonObject Json(string name) => Get(name).ToJsonObject();

    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        SnapshotCodec.Write(State, stream);
        return stream.ToArray();
    }

    public static Replica Restore(byte[] snapshot)
    {
        using var stream = new MemoryStream(snapshot);
        return new Replica { State = SnapshotCodec.Read(stream) };
    }
}
