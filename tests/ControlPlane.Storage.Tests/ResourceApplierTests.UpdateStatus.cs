using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    [Fact]
    public void UpdateStatus_Existing_StatusUpdatedGenerationKeptRvBumped()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Put(Widget("a", spec: """{"replicas":2}""")));
        var specBefore = replica.Json("a")["spec"]!.ToJsonString();

        var outcome = replica.Apply(Status("a", """{"ready":true,"observedGeneration":2}"""));

        Assert.Equal(WriteOutcome.StatusUpdated, outcome.Result.Outcome);
        Assert.Equal(3, outcome.Result.ResourceVersion);
        Assert.Equal(3, replica.Get("a").ResourceVersion);
        Assert.Equal(2, replica.Get("a").Generation);
        StateAssert.JsonEqual("""{"ready":true,"observedGeneration":2}""", replica.Json("a")["status"]!);
        Assert.Equal(specBefore, replica.Json("a")["spec"]!.ToJsonString());
        Assert.NotNull(outcome.Change);
    }

    [Fact]
    public void UpdateStatus_Identical_NoOp()
    {
        var replica = new Replica();
        replica.ApplyAll(Put(Widget("a")), Status("a", """{"ready":true}"""));
        var before = replica.State;

        var outcome = replica.Apply(Status("a", """{"ready":true}"""));

        StateAssert.NoOp(before, outcome, 2);
    }

    [Fact]
    public void UpdateStatus_Null_RemovesStatus()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", status: """{"ready":true}""")));

        var outcome = replica.Apply(Status("a", null));

        Assert.Equal(WriteOutcome.StatusUpdated, outcome.Result.Outcome);
        Assert.False(replica.Json("a").ContainsKey("status"));
        Assert.Equal(1, replica.Get("a").Generation);
    }

    [Fact]
    public void UpdateStatus_NullWhenAbsent_NoOp()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));

        var outcome = replica.Apply(Status("a", null));

        Assert.Equal(WriteOutcome.NoOp, outcome.Result.Outcome);
    }

    [Fact]
    public void UpdateStatus_NotJson_Invalid()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Status("a", "{\"ready\":"));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("status is not valid JSON", outcome.Result.Message, StringComparison.Ordinal);
    }
}
