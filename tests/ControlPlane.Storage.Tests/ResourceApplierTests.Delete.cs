using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    [Fact]
    public void Delete_Existing_DeletedWithRemovedObject()
    {
        var replica = new Replica();
        var stored = replica.Apply(Put(Widget("a"))).Result.Object!;

        var outcome = replica.Apply(Delete("a"));

        Assert.Equal(WriteOutcome.Deleted, outcome.Result.Outcome);
        Assert.Same(stored, outcome.Result.Object);
        Assert.Equal(2, outcome.Result.ResourceVersion);
        Assert.Null(replica.State.Find(Key("a")));
        Assert.Equal(0, replica.State.ObjectCount);
        Assert.Empty(replica.State.Kinds);
        Assert.NotNull(outcome.Change);
        Assert.Equal(2, outcome.Change.ResourceVersion);
        Assert.Same(stored, outcome.Change.Previous);
        Assert.Null(outcome.Change.Current);
        Assert.Equal(Key("a"), outcome.Change.Key);
    }

    [Fact]
    public void Delete_Missing_NoOpWithoutChange()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("b")));
        var before = replica.State;

        var outcome = replica.Apply(Delete("a"));

        Assert.True(outcome.Result.Succeeded);
        StateAssert.NoOp(before, outcome, 0);
        Assert.Null(outcome.Result.Object);
    }
}
