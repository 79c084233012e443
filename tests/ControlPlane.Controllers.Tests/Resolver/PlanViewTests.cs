using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;
using ControlPlane.Core.Errors;

namespace ControlPlane.Controllers.Tests.Resolver;

public class PlanViewTests
{
    private static JsonObject WithSpec(string spec, string metadataExtra = "") => (JsonObject)JsonNode.Parse($$"""
        {"apiVersion":"planning.controlplane.dev/v1","kind":"Plan",
         "metadata":{"name":"p","namespace":"d","generation":1{{metadataExtra}}},
         "spec":{{spec}}}
        """)!;

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var plan = PlanView.Parse(WithSpec(
            """{"goalRef":{"name":"g","namespace":"d"},"series":"s","version":"1.2.3","supersedes":["b","a",{"name":"c"},{"name":"a","namespace":"d"}],"steps":[1,2]}""",
            ""","labels":{"tier":"gold"},"creationTimestamp":"2025-01-01T00:00:07Z" """));
        Assert.Equal(("d", "p", "g", "s"), (plan.Namespace, plan.Name, plan.GoalName, plan.Series));
        Assert.Equal(PlanVersion.Parse("1.2.3"), plan.Version);
        Assert.Equal(["a", "b", "c"], plan.Supersedes.ToArray());
        Assert.Equal("gold", plan.Labels["tier"]);
        Assert.Equal(Objects.Epoch.AddSeconds(7), plan.CreatedAt);
        Assert.Equal(PlanningKinds.GoalKey("d", "g"), plan.GoalKey);
        Assert.Equal(PlanningKinds.PlanKey("d", "p"), plan.Key);
    }

    [Fact]
    public void Parse_OptionalFieldsDefault()
    {
        var plan = PlanView.Parse(WithSpec("""{"goalRef":{"name":"g"},"series":null}"""));
        Assert.Equal(string.Empty, plan.Series);
        Assert.Same(PlanVersion.Missing, plan.Version);
        Assert.Empty(plan.Supersedes);
        Assert.Empty(plan.Labels);
        Assert.Null(plan.CreatedAt);
    }

    [Fact]
    public void Parse_InvalidVersion_IsKeptNotRefused()
    {
        var plan = PlanView.Parse(WithSpec("""{"goalRef":{"name":"g"},"version":"v2"}"""));
        Assert.False(plan.Version.IsValid);
        Assert.Equal("v2", plan.Version.Text);
    }

    [Theory]
    [InlineData("null", "spec is required")]
    [InlineData("[]", "spec must be an object, got an array")]
    [InlineData("{}", "spec.goalRef is required")]
    [InlineData("""{"goalRef":"g"}""", "spec.goalRef must be an object, got a string")]
    [InlineData("""{"goalRef":{}}""", "spec.goalRef.name is required")]
    [InlineData("""{"goalRef":{"name":""}}""", "spec.goalRef.name is required")]
    [InlineData("""{"goalRef":{"name":"g","namespace":"other"}}""", "spec.goalRef.namespace \"other\" differs from the Plan's namespace")]
    [InlineData("""{"goalRef":{"name":"g"},"series":3}""", "spec.series must be a string, got a number")]
    [InlineData("""{"goalRef":{"name":"g"},"supersedes":"a"}""", "spec.supersedes must be an array")]
    [InlineData("""{"goalRef":{"name":"g"},"supersedes":[1]}""", "spec.supersedes[0] must be a Plan name or {\"name\": ...}, got a number")]
    [InlineData("""{"goalRef":{"name":"g"},"supersedes":["a",""]}""", "spec.supersedes[1] is an empty name")]
    [InlineData("""{"goalRef":{"name":"g"},"supersedes":[{"nam":"a"}]}""", "spec.supersedes[0].nam is not a known field")]
    [InlineData("""{"goalRef":{"name":"g"},"supersedes":[{"name":"a","namespace":"x"}]}""", "spec.supersedes[0].namespace \"x\" differs")]
    public void Parse_MalformedSpec_IsInvalidNamingPlanAndField(string spec, string expected)
    {
        var e = Assert.Throws<ControlPlaneException>(() => PlanView.Parse(WithSpec(spec)));
        Assert.Equal(ErrorCode.Invalid, e.Code);
        Assert.StartsWith("Plan d/p: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(PlanView.TryParse(WithSpec(spec), out _, out var error));
        Assert.Equal(e.Message, error);
    }

    [Theory]
    [InlineData(""","creationTimestamp":"soon" """, "metadata.creationTimestamp \"soon\" is not an RFC 3339 time")]
    [InlineData(""","labels":{"a":1}""", "metadata.labels")]
    public void Parse_MalformedMetadata_IsInvalid(string metadataExtra, string expected)
    {
        var e = Assert.Throws<ControlPlaneException>(() => PlanView.Parse(WithSpec("""{"goalRef":{"name":"g"}}""", metadataExtra)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongKind_IsInvalid()
    {
        var goal = Objects.GoalJson();
        var e = Assert.Throws<ControlPlaneException>(() => PlanView.Parse(goal));
        Assert.Contains("kind \"Plan\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_CoversEveryFieldTheResolverReads()
    {
        var baseline = Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1);
        Assert.Equal(baseline, Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1));
        Assert.Equal(baseline.GetHashCode(), Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1).GetHashCode());
        PlanView[] different =
        [
            Objects.Plan("q", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "h", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "g", "t", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0+b", ["x"], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0", ["y"], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0", [], Objects.Labels("a=1"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=2"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1", "b=1"), createdSecond: 1),
            Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), createdSecond: 2),
            Objects.Plan("p", "g", "s", "1.0.0", ["x"], Objects.Labels("a=1"), ns: "other", createdSecond: 1),
        ];
        foreach (var d in different) Assert.NotEqual(baseline, d);
    }
}
