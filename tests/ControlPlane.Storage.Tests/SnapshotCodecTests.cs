using System.Buffers.Binary;
using System.Text;
using ControlPlane.Storage.Snapshots;
using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed class SnapshotCodecTests
{
    private static readonly ResourceKey GadgetKey = new(string.Empty, "v1", "Gadget", string.Empty, "g1");

    private static ResourceCommand Gadget(string spec) => Command(
        WriteKind.Put, GadgetKey, """{"apiVersion":"v1","kind":"Gadget","metadata":{"name":"g1","labels":{"z":"1","a":"2","example.io/tier":"x"}},"spec":""" + spec + "}");

    /// <summary>Two kinds (one cluster-scoped), labels, annotations, status, a deleted object and remembered successes and failures.</summary>
    private static Replica Populated()
    {
        var replica = new Replica();
        replica.ApplyAll(
            Put(Widget("a", labels: """{"app":"web","tier":"front"}""", status: """{"ready":true}""")) with { RequestId = "put-a" },
            Put(Widget("b", spec: """{"text":"ünïcødé ✓ 🚀"}""")),
            Gadget("""{"size":1}"""),
            Patch("a", """{"metadata":{"annotations":{"note":"hello"}},"spec":{"replicas":2}}""", time: T0 + 1000) with { RequestId = "patch-a" },
            Put(Widget("b")) with { CreateOnly = true, RequestId = "create-b-again" },
            Put(Widget("c")),
            Delete("c", time: T0 + 2000) with { RequestId = "delete-c" },
            Status("missing", "{}") with { RequestId = "status-missing" },
            Gadget("""{"size":2}"""));
        return replica;
    }

    private static StoreState Read(byte[] snapshot)
    {
        using var stream = new MemoryStream(snapshot);
        return SnapshotCodec.Read(stream);
    }

    [Fact]
    public void Read_WrittenState_EqualsOriginal()
    {
        var original = Populated();

        var restored = Replica.Restore(original.Snapshot());

        Assert.Equal(3, restored.State.ObjectCount);
        Assert.Equal(5, restored.State.Requests.Count);
        StateAssert.Equivalent(original.State, restored.State);
        Assert.Equal(original.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void Read_EmptyState_EqualsEmpty()
    {
        var restored = Replica.Restore(new Replica().Snapshot());

        StateAssert.Equivalent(StoreState.Empty, restored.State);
    }

    [Fact]
    public void Read_RestoredState_AnswersRetriesAsTheOriginal()
    {
        var original = Populated();
        var restored = Replica.Restore(original.Snapshot());
        ResourceCommand[] retries =
        [
            Put(Widget("a", labels: """{"app":"web","tier":"front"}""", status: """{"ready":true}""")) with { RequestId = "put-a" },
            Patch("a", """{"spec":{"replicas":9}}""") with { RequestId = "patch-a" },
            Put(Widget("b")) with { CreateOnly = true, RequestId = "create-b-again" },
            Delete("c") with { RequestId = "delete-c" },
            Status("missing", "{}") with { RequestId = "status-missing" },
        ];

        foreach (var retry in retries)
        {
            var expected = original.Apply(retry);
            var actual = restored.Apply(retry);
            Assert.True(actual.Result.Replayed, $"{retry.RequestId} should be replayed after restore");
            Assert.Equal(expected.Result with { Object = null }, actual.Result with { Object = null });
            Assert.Equal(expected.Result.Object?.Json, actual.Result.Object?.Json);
        }

        StateAssert.Equivalent(original.State, restored.State);
    }

    [Fact]
    public void Read_FlippedByteInObjectJson_InvalidData()
    {
        var replica = Populated();
        var snapshot = replica.Snapshot();
        var at = snapshot.AsSpan().IndexOf(replica.Get("b").Json);
        Assert.True(at > 0, "the object's JSON should be in the snapshot");
        snapshot[at + 10] ^= 0x01;

        Assert.Throws<InvalidDataException>(() => Read(snapshot));
    }

    [Fact]
    public void Read_FlippedByteInRequestTable_InvalidData()
    {
        var snapshot = Populated().Snapshot();
        var at = snapshot.AsSpan().IndexOf(Encoding.UTF8.GetBytes("create-b-again"));
        Assert.True(at > 0, "the request id should be in the snapshot");
        snapshot[at] = (byte)'C';

        Assert.Throws<InvalidDataException>(() => Read(snapshot));
    }

    [Fact]
    public void Read_AnyFlippedByte_InvalidData()
    {
        var snapshot = Populated().Snapshot();

        for (var i = 0; i < snapshot.Length; i++)
        {
            var corrupt = (byte[])snapshot.Clone();
            corrupt[i] ^= 0x20;
            var e = Record.Exception(() => Read(corrupt));
            Assert.True(e is InvalidDataException, $"flipping byte {i} of {snapshot.Length} gave {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Read_EveryTruncation_InvalidData()
    {
        var snapshot = Populated().Snapshot();

        for (var length = 0; length < snapshot.Length; length++)
        {
            var e = Record.Exception(() => Read(snapshot[..length]));
            Assert.True(e is InvalidDataException, $"a snapshot cut to {length} of {snapshot.Length} bytes gave {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Read_HugeLengthPrefix_InvalidDataWithoutAllocatingIt()
    {
        var replica = Populated();
        var snapshot = replica.Snapshot();
        var json = replica.Get("a").Json;
        var at = snapshot.AsSpan().IndexOf(json);
        BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(at - 4), int.MaxValue);

        var e = Assert.Throws<InvalidDataException>(() => Read(snapshot));
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "not a ControlPlane snapshot")]
    [InlineData(4, "unknown snapshot format")]
    public void Read_WrongMagicOrFormat_InvalidDataNamingIt(int offset, string expected)
    {
        var snapshot = Populated().Snapshot();
        snapshot[offset] ^= 0xff;

        var e = Assert.Throws<InvalidDataException>(() => Read(snapshot));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
