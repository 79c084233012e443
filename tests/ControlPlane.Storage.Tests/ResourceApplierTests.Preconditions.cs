using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

/// <summary>Optimistic concurrency and missing objects, the same for every command kind.</summary>
public sealed partial class ResourceApplierTests
{
    public static TheoryData<WriteKind, WriteOutcome> Writes() => new()
    {
        { WriteKind.Put, WriteOutcome.Replaced },
        { WriteKind.Patch, WriteOutcome.Patched },
        { WriteKind.UpdateStatus, WriteOutcome.StatusUpdated },
        { WriteKind.Delete, WriteOutcome.Deleted },
    };

    /// <summary>A write of <paramref name="kind"/> that changes the object named <paramref name="name"/>.</summary>
    private static ResourceCommand Change(WriteKind kind, string name) => kind switch
    {
        WriteKind.Put => Put(Widget(name, spec: """{"replicas":5}""")),
        WriteKind.Patch => Patch(name, """{"spec":{"replicas":5}}"""),
        WriteKind.UpdateStatus => Status(name, """{"ready":true}"""),
        _ => Delete(name),
    };

    /// <summary>A replica holding "a" at resourceVersion 3 and "b" at 2.</summary>
    private static Replica TwoObjects()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Put(Widget("b")), Patch("a", """{"spec":{"replicas":2}}"""));
        return replica;
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public void AnyWrite_ExpectedRvMatches_Succeeds(WriteKind kind, WriteOutcome expected)
    {
        var replica = TwoObjects();

        var outcome = replica.Apply(Change(kind, "a") with { ExpectedResourceVersion = 3 });

        Assert.Equal(expected, outcome.Result.Outcome);
        Assert.Equal(4, outcome.Result.ResourceVersion);
        Assert.NotNull(outcome.Change);
    }

    [Theory]
    [InlineData(WriteKind.Put)]
    [InlineData(WriteKind.Patch)]
    [InlineData(WriteKind.UpdateStatus)]
    [InlineData(WriteKind.Delete)]
    public void AnyWrite_ExpectedRvMismatch_ConflictWithCurrentRv(WriteKind kind)
    {
        var replica = TwoObjects();
        var before = replica.State;

        var outcome = replica.Apply(Change(kind, "a") with { ExpectedResourceVersion = 1 });

        StateAssert.Failed(ErrorCode.Conflict, before, outcome);
        Assert.Equal(3, outcome.Result.ResourceVersion);
        Assert.Contains("resourceVersion 3, not the expected 1", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WriteKind.Put)]
    [InlineData(WriteKind.Patch)]
    [InlineData(WriteKind.UpdateStatus)]
    public void AnyWrite_ExpectedRvOnMissing_NotFound(WriteKind kind)
    {
        var replica = TwoObjects();
        var before = replica.State;

        var outcome = replica.Apply(Change(kind, "c") with { ExpectedResourceVersion = 3 });

        StateAssert.Failed(ErrorCode.NotFound, before, outcome);
        Assert.Equal(0, outcome.Result.ResourceVersion);
        Assert.Contains("not found", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WriteKind.Patch)]
    [InlineData(WriteKind.UpdateStatus)]
    public void AnyUpdate_Missing_NotFound(WriteKind kind)
    {
        var replica = TwoObjects();
        var before = replica.State;

        var outcome = replica.Apply(Change(kind, "c"));

        StateAssert.Failed(ErrorCode.NotFound, before, outcome);
        Assert.Contains("Widget \"default/c\" not found", outcome.Result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_ExpectedRvOnMissing_NoOp()
    {
        var replica = TwoObjects();
        var before = replica.State;

        var outcome = replica.Apply(Delete("c") with { ExpectedResourceVersion = 3 });

        StateAssert.NoOp(before, outcome, 0);
    }
}
