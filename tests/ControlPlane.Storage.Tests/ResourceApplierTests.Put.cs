using ControlPlane.Storage.Apply;
using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    [Fact]
    public void Put_Missing_CreatedAtIndexWithCommandStamps()
    {
        var command = Put(Widget("a"));

        var outcome = ResourceApplier.Apply(StoreState.Empty, 42, command);

        Assert.Equal(ErrorCode.None, outcome.Result.Error);
        Assert.Equal(WriteOutcome.Created, outcome.Result.Outcome);
        Assert.Equal(42, outcome.Result.ResourceVersion);
        Assert.False(outcome.Result.Replayed);
        var stored = outcome.State.Find(Key("a"));
        Assert.NotNull(stored);
        Assert.Same(stored, outcome.Result.Object);
        Assert.Equal(42, stored.ResourceVersion);
        Assert.Equal(1, stored.Generation);
        Assert.Equal(command.Uid, stored.Uid);
        Assert.Equal(T0, stored.CreationTimestampMs);
        var metadata = stored.ToJsonObject()["metadata"]!;
        Assert.Equal("42", metadata["resourceVersion"]!.GetValue<string>());
        Assert.Equal(1, metadata["generation"]!.GetValue<long>());
        Assert.Equal(command.Uid, metadata["uid"]!.GetValue<string>());
        Assert.Equal("2023-11-14T22:13:20Z", metadata["creationTimestamp"]!.GetValue<string>());
        Assert.Equal(42, outcome.State.AppliedIndex);
        Assert.Equal(1, outcome.State.ObjectCount);
        Assert.NotEqual(StoreState.Empty.Hash, outcome.State.Hash);
        Assert.NotNull(outcome.Change);
        Assert.Equal(42, outcome.Change.ResourceVersion);
        Assert.Null(outcome.Change.Previous);
        Assert.Same(stored, outcome.Change.Current);
    }

    [Fact]
    public void Put_ExistingWithOtherSpec_Replaced()
    {
        var replica = new Replica();
        var created = replica.Apply(Put(Widget("a"))).Result.Object!;

        var outcome = replica.Apply(Put(Widget("a", spec: """{"replicas":2}""")));

        Assert.Equal(WriteOutcome.Replaced, outcome.Result.Outcome);
        Assert.Equal(2, outcome.Result.ResourceVersion);
        Assert.Equal(2, replica.Json("a")["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("2", replica.Json("a")["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Same(created, outcome.Change!.Previous);
        Assert.Same(replica.Get("a"), outcome.Change.Current);
        Assert.Equal(1, replica.State.ObjectCount);
    }

    [Fact]
    public void Put_IdenticalObject_NoOpWithoutChange()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", labels: """{"app":"web"}""")));
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a", labels: """{"app":"web"}""")) with { Uid = "another-uid", TimestampMs = T0 + 5000 });

        StateAssert.NoOp(before, outcome, 1);
        Assert.Same(before.Find(Key("a")), outcome.Result.Object);
    }

    [Fact]
    public void Put_StoredObjectSentBack_NoOp()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", status: """{"ready":true}""")));
        var before = replica.State;

        var outcome = replica.Apply(Put(replica.Json("a")));

        StateAssert.NoOp(before, outcome, 1);
    }

    [Fact]
    public void Put_SameContentInOtherPropertyOrder_NoOp()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", spec: """{"replicas":1,"image":"a"}""")));
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a", spec: """{"image":"a","replicas":1}""")));

        StateAssert.NoOp(before, outcome, 1);
    }

    [Fact]
    public void Put_CreateOnlyOnMissing_Created()
    {
        var outcome = new Replica().Apply(Put(Widget("a")) with { CreateOnly = true });

        Assert.Equal(WriteOutcome.Created, outcome.Result.Outcome);
    }

    [Fact]
    public void Put_CreateOnlyOnExisting_AlreadyExistsWithCurrentRv()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Put(Widget("b")), Put(Widget("a", spec: """{"replicas":3}""")));
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a", spec: """{"replicas":9}""")) with { CreateOnly = true });

        StateAssert.Failed(ErrorCode.AlreadyExists, before, outcome);
        Assert.Equal(3, outcome.Result.ResourceVersion);
        Assert.Contains("already exists", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Put_ExistingWithStatusInBody_KeepsStoredStatus()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Status("a", """{"ready":true}"""));

        var outcome = replica.Apply(Put(Widget("a", spec: """{"replicas":2}""", status: """{"ready":false,"forged":1}""")));

        Assert.Equal(WriteOutcome.Replaced, outcome.Result.Outcome);
        StateAssert.JsonEqual("""{"ready":true}""", replica.Json("a")["status"]!);
    }

    [Fact]
    public void Put_ExistingWithoutStatusInBody_KeepsStoredStatus()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Status("a", """{"ready":true}"""));

        replica.Apply(Put(Widget("a", spec: """{"replicas":2}""")));

        StateAssert.JsonEqual("""{"ready":true}""", replica.Json("a")["status"]!);
    }

    [Fact]
    public void Put_CreateWithStatus_KeepsGivenStatus()
    {
        var replica = new Replica();

        replica.Apply(Put(Widget("a", status: """{"phase":"Pending"}""")));

        StateAssert.JsonEqual("""{"phase":"Pending"}""", replica.Json("a")["status"]!);
    }

    [Fact]
    public void Put_ObjectNamesAnotherKey_Invalid()
    {
        var replica = new Replica();
        var before = replica.State;

        var outcome = replica.Apply(Put(Widget("a")) with { Key = Key("b") });

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("cannot change", outcome.Result.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The stored bytes are part of the replicated state (the state hash covers them, snapshots carry them), so
    /// their layout and escaping are pinned: server-owned metadata in a fixed order, the body's other members in
    /// the client's order, status last, strings escaped by the serializer's default encoder, numbers as written.
    /// </summary>
    [Fact]
    public void Put_StoredBytes_FixedLayoutAndEscaping()
    {
        const string body = """{"spec":{"n":1.50,"e":1e3,"s":"\u00e9<&>\ud83d\ude00"},"extra":null,"status":{"ready":true},"kind":"Widget","metadata":{"labels":{"b":"2","a":"1"},"namespace":"default","annotations":{"note":"caf\u00e9"},"name":"a"},"apiVersion":"example.io/v1"}""";

        var outcome = ResourceApplier.Apply(StoreState.Empty, 7, Command(WriteKind.Put, Key("a"), body));

        Assert.Equal(
            """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"a","namespace":"default","uid":"uid-a-1700000000000","resourceVersion":"7","generation":1,"creationTimestamp":"2023-11-14T22:13:20Z","labels":{"b":"2","a":"1"},"annotations":{"note":"caf\u00E9"}},"spec":{"n":1.50,"e":1e3,"s":"\u00E9\u003C\u0026\u003E\uD83D\uDE00"},"extra":null,"status":{"ready":true}}""",
            System.Text.Encoding.UTF8.GetString(outcome.State.Find(Key("a"))!.Json));
    }
}
