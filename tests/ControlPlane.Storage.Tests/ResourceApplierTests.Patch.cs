using static ControlPlane.Storage.Tests.Support.TestCommands;

namespace ControlPlane.Storage.Tests;

public sealed partial class ResourceApplierTests
{
    private const string TemplateSpec = """{"replicas":1,"template":{"image":"a","port":80},"ports":[1,2]}""";

    [Fact]
    public void Patch_NestedObject_MergedKeepingSiblings()
    {
        var replica = new Replica();
        var created = replica.Apply(Put(Widget("a", spec: TemplateSpec))).Result.Object;

        var outcome = replica.Apply(Patch("a", """{"spec":{"template":{"image":"b"}}}"""));

        Assert.Equal(WriteOutcome.Patched, outcome.Result.Outcome);
        Assert.Equal(2, outcome.Result.ResourceVersion);
        StateAssert.JsonEqual("""{"replicas":1,"template":{"image":"b","port":80},"ports":[1,2]}""", replica.Json("a")["spec"]!);
        Assert.Same(created, outcome.Change!.Previous);
        Assert.Same(replica.Get("a"), outcome.Change.Current);
    }

    [Fact]
    public void Patch_NullValue_RemovesField()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", spec: TemplateSpec)));

        replica.Apply(Patch("a", """{"spec":{"template":{"port":null},"replicas":null}}"""));

        StateAssert.JsonEqual("""{"template":{"image":"a"},"ports":[1,2]}""", replica.Json("a")["spec"]!);
    }

    [Fact]
    public void Patch_Array_ReplacedWhole()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", spec: TemplateSpec)));

        replica.Apply(Patch("a", """{"spec":{"ports":[3]}}"""));

        StateAssert.JsonEqual("[3]", replica.Json("a")["spec"]!["ports"]!);
    }

    [Fact]
    public void Patch_Labels_AddedAndRemovedInStoredLabels()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", labels: """{"app":"web","tier":"front"}""")));

        replica.Apply(Patch("a", """{"metadata":{"labels":{"tier":null,"env":"prod"}}}"""));

        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "web", ["env"] = "prod" }.OrderBy(l => l.Key, StringComparer.Ordinal),
            replica.Get("a").Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        StateAssert.JsonEqual("""{"app":"web","env":"prod"}""", replica.Json("a")["metadata"]!["labels"]!);
    }

    [Fact]
    public void Patch_EmptyObject_NoOp()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", "{}"));

        StateAssert.NoOp(before, outcome, 1);
    }

    [Fact]
    public void Patch_SameValuesAgain_NoOp()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", spec: TemplateSpec, labels: """{"app":"web"}""")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", """{"spec":{"replicas":1,"template":{"image":"a"}},"metadata":{"labels":{"app":"web"}}}"""));

        StateAssert.NoOp(before, outcome, 1);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"b"}}""")]
    [InlineData("""{"metadata":{"namespace":"other"}}""")]
    [InlineData("""{"metadata":{"namespace":null}}""")]
    [InlineData("""{"kind":"Gadget"}""")]
    [InlineData("""{"apiVersion":"example.io/v2"}""")]
    [InlineData("""{"apiVersion":"other.io/v1"}""")]
    public void Patch_ChangesIdentity_InvalidAndUnchanged(string patch)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", patch));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Equal(1, outcome.Result.ResourceVersion);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"x\"", "a string")]
    [InlineData("5", "a number")]
    [InlineData("null", "null")]
    [InlineData("{\"spec\":", "not valid JSON")]
    [InlineData("", "merge patch is empty")]
    public void Patch_NotAnObject_InvalidNamingTheProblem(string patch, string expected)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", patch));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains("merge patch", outcome.Result.Message, StringComparison.Ordinal);
        Assert.Contains(expected, outcome.Result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadata":{"labels":{"bad key!":"x"}}}""", "metadata.labels key")]
    [InlineData("""{"metadata":{"labels":{"app":"no spaces"}}}""", "metadata.labels[\"app\"]")]
    [InlineData("""{"metadata":{"labels":{"app":5}}}""", "must be a string")]
    [InlineData("""{"metadata":{"owner":"me"}}""", "metadata.owner is not a known field")]
    [InlineData("""{"metadata":null}""", "metadata is required")]
    [InlineData("""{"metadata":{"generation":"two"}}""", "metadata.generation must be a non-negative integer")]
    public void Patch_MakesObjectInvalid_InvalidAndUnchanged(string patch, string expected)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", labels: """{"app":"web"}""")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", patch));

        StateAssert.Failed(ErrorCode.Invalid, before, outcome);
        Assert.Contains(expected, outcome.Result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":{"ready":false}}""")]
    [InlineData("""{"status":null}""")]
    [InlineData("""{"status":{"ready":null,"extra":1}}""")]
    public void Patch_OnlyStatus_IgnoredAsNoOp(string patch)
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", status: """{"ready":true}""")));
        var before = replica.State;

        var outcome = replica.Apply(Patch("a", patch));

        StateAssert.NoOp(before, outcome, 1);
    }

    [Fact]
    public void Patch_SpecAndStatus_SpecAppliedStatusKept()
    {
        var replica = new Replica();
        replica.Apply(Put(Widget("a", status: """{"ready":true}""")));

        var outcome = replica.Apply(Patch("a", """{"spec":{"replicas":5},"status":{"ready":false}}"""));

        Assert.Equal(WriteOutcome.Patched, outcome.Result.Outcome);
        Assert.Equal(5, replica.Json("a")["spec"]!["replicas"]!.GetValue<int>());
        StateAssert.JsonEqual("""{"ready":true}""", replica.Json("a")["status"]!);
    }
}
