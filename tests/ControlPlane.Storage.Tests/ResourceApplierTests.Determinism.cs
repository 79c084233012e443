using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    /// <summary>A sequence touching every command kind, outcome and failure, with and without request ids.</summary>
    private static ResourceCommand[] MixedSequence() =>
    [
        Put(Widget("a", labels: """{"app":"web"}""")) with { RequestId = "r1" },
        Put(Widget("b", status: """{"ready":false}"""), time: T0 + 10),
        Patch("a", """{"spec":{"replicas":3},"metadata":{"annotations":{"note":"ünïcødé ✓"}}}""", time: T0 + 20),
        Status("b", """{"ready":true}""", time: T0 + 30) with { ExpectedResourceVersion = 2 },
        Put(Widget("a")) with { CreateOnly = true, RequestId = "r2" },
        Patch("c", """{"spec":{}}""", time: T0 + 40),
        Delete("b", time: T0 + 50),
        Put(Widget("c", spec: """{"list":[1,2,{"x":null}]}"""), time: T0 + 60),
        Put(Widget("a")) with { RequestId = "r1" },
        Delete("zzz", time: T0 + 70),
    ];

    [Fact]
    public void Apply_SameSequenceOnTwoFreshStates_IdenticalStates()
    {
        var first = new Replica();
        var second = new Replica();

        foreach (var command in MixedSequence())
        {
            var a = first.Apply(command);
            var b = second.Apply(command);
            Assert.Equal(a.Result.Outcome, b.Result.Outcome);
            Assert.Equal(a.Result.Error, b.Result.Error);
            Assert.Equal(a.Result.ResourceVersion, b.Result.ResourceVersion);
            Assert.Equal(a.Result.Message, b.Result.Message);
        }

        Assert.NotEqual(StoreState.Empty.Hash, first.State.Hash);
        StateAssert.Equivalent(first.State, second.State);
        Assert.Equal(first.Snapshot(), second.Snapshot());
    }

    [Fact]
    public void Apply_EffectiveWrites_EachChangesTheHash()
    {
        var replica = new Replica();
        var seen = new HashSet<StateHash> { replica.State.Hash };

        foreach (var command in MixedSequence())
        {
            var before = replica.State.Hash;
            var outcome = replica.Apply(command);
            if (outcome.Change is null)
            {
                Assert.Equal(before, outcome.State.Hash);
            }
            else
            {
                Assert.True(seen.Add(outcome.State.Hash), $"{command.Kind} of {command.Key.Name} at index {outcome.State.AppliedIndex} gave a hash seen before");
            }
        }

        Assert.True(seen.Count >= 6, $"expected at least 6 effective writes, saw {seen.Count - 1}");
    }

    [Fact]
    public void Apply_CreateThenDelete_HashOfEmpty()
    {
        var replica = new Replica();

        replica.ApplyAll(Put(Widget("a")), Put(Widget("b")), Patch("a", """{"spec":{"replicas":4}}"""), Delete("a"), Delete("b"));

        Assert.Equal(StoreState.Empty.Hash, replica.State.Hash);
        Assert.Equal(0, replica.State.ObjectCount);
        Assert.Empty(replica.State.Kinds);
    }

    [Fact]
    public void Apply_DeleteUndoesOnlyItsObject_HashOfTheRest()
    {
        var withBoth = new Replica();
        var withB = new Replica();
        withBoth.ApplyAll(Put(Widget("a")), Put(Widget("b")), Delete("a"));
        withB.ApplyAll(Delete("a"), Put(Widget("b")));

        Assert.Equal(withB.State.Hash, withBoth.State.Hash);
    }

    [Fact]
    public void Apply_ManyKinds_HashIsSumOfObjectsInAnyOrder()
    {
        var gadget = Command(WriteKind.Put, new ResourceKey(string.Empty, "v1", "Gadget", string.Empty, "g"), """{"apiVersion":"v1","kind":"Gadget","metadata":{"name":"g"}}""");
        var forward = new Replica();
        var backward = new Replica();

        forward.ApplyAll(Put(Widget("a")), gadget);
        backward.ApplyAll(gadget, Put(Widget("a")));

        Assert.NotEqual(forward.State.Hash, backward.State.Hash);
        Assert.Equal(2, forward.State.Kinds.Count);
        var expected = default(StateHash);
        foreach (var resource in forward.State.Kinds.Values.SelectMany(k => k.Values)) expected = expected.Add(resource);
        Assert.Equal(expected, forward.State.Hash);
        Assert.Equal(StoreState.Empty.Hash, forward.State.Hash.Remove(forward.Get("a")).Remove(forward.State.Find(gadget.Key)!));
    }
}
