using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;
using ControlPlane.Core.Errors;

namespace ControlPlane.Controllers.Tests.Resolver;

public class GoalViewTests
{
    [Fact]
    public void Parse_ReadsIdentityGenerationAndStatus()
    {
        var goal = Objects.Goal("web", "prod", generation: 7, status: """{"activePlanRef":{"name":"p1","namespace":"prod"},"phase":"Ready"}""");
        Assert.Equal(("prod", "web", 7L), (goal.Namespace, goal.Name, goal.Generation));
        Assert.Equal(PlanningKinds.GoalKey("prod", "web"), goal.Key);
        Assert.Equal(new PlanRef("p1", "prod"), goal.ActivePlanRef);
        Assert.True(goal.Selector!.IsEverything);
        Assert.Null(goal.PreviousCondition);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"g","namespace":"d","generation":1}}""", "apiVersion")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Plan","metadata":{"name":"g","namespace":"d","generation":1}}""", "expected apiVersion \"planning.controlplane.dev/v1\" and kind \"Goal\"")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v2","kind":"Goal","metadata":{"name":"g","namespace":"d","generation":1}}""", "expected apiVersion")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"g","generation":1}}""", "metadata.namespace is required")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"g","namespace":"d"}}""", "metadata.generation must be a non-negative integer")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"g","namespace":"d","generation":-1}}""", "metadata.generation must be a non-negative integer")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"g","namespace":"d","generation":1},"spec":[]}""", "spec must be an object")]
    [InlineData("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"Bad_Name","namespace":"d","generation":1}}""", "metadata.name")]
    public void Parse_Malformed_IsInvalidNamingTheProblem(string json, string expected)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        var e = Assert.Throws<ControlPlaneException>(() => GoalView.Parse(obj));
        Assert.Equal(ErrorCode.Invalid, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(GoalView.TryParse(obj, out var view, out var error));
        Assert.Null(view);
        Assert.Equal(e.Message, error);
    }

    [Theory]
    [InlineData("null", "")]
    [InlineData("{}", "")]
    [InlineData("""{"matchLabels":{}}""", "")]
    [InlineData("""{"matchLabels":{"tier":"gold","env":"prod"}}""", "env=prod,tier=gold")]
    [InlineData("""{"matchExpressions":[{"key":"env","operator":"In","values":["prod","staging"]}]}""", "env in (prod,staging)")]
    [InlineData("""{"matchExpressions":[{"key":"env","operator":"NotIn","values":["dev"]}]}""", "env notin (dev)")]
    [InlineData("""{"matchExpressions":[{"key":"canary","operator":"Exists"}]}""", "canary")]
    [InlineData("""{"matchExpressions":[{"key":"canary","operator":"DoesNotExist","values":[]}]}""", "!canary")]
    [InlineData("""{"matchLabels":{"a":"1"},"matchExpressions":[{"key":"b","operator":"Exists"}]}""", "a=1,b")]
    public void Selector_Valid(string selector, string expected)
    {
        var goal = Objects.Goal(selector: selector);
        Assert.Null(goal.SelectorError);
        Assert.Equal(expected, goal.Selector!.ToString());
    }

    [Theory]
    [InlineData("\"tier=gold\"", "spec.planSelector must be an object, got a string")]
    [InlineData("""{"matchLabel":{"tier":"gold"}}""", "spec.planSelector.matchLabel is not a known field")]
    [InlineData("""{"matchLabels":["tier"]}""", "spec.planSelector.matchLabels must be an object")]
    [InlineData("""{"matchLabels":{"tier":3}}""", "spec.planSelector.matchLabels.tier must be a string, got a number")]
    [InlineData("""{"matchLabels":{"bad key":"x"}}""", "invalid key \"bad key\"")]
    [InlineData("""{"matchLabels":{"tier":"not valid!"}}""", "invalid value \"not valid!\"")]
    [InlineData("""{"matchExpressions":{"key":"a"}}""", "spec.planSelector.matchExpressions must be an array")]
    [InlineData("""{"matchExpressions":["a"]}""", "spec.planSelector.matchExpressions[0] must be an object")]
    [InlineData("""{"matchExpressions":[{"operator":"Exists"}]}""", "spec.planSelector.matchExpressions[0].key is required")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Equals","values":["x"]}]}""", "operator \"Equals\" is not one of In, NotIn, Exists, DoesNotExist")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"in","values":["x"]}]}""", "operator \"in\" is not one of")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In"}]}""", "takes at least one value")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]}""", "takes at least one value")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "takes no values")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[1]}]}""", "values[0] must be a string")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":["x"],"value":"y"}]}""", "matchExpressions[0].value is not a known field")]
    public void Selector_Invalid_IsCarriedNotThrown(string selector, string expected)
    {
        var goal = Objects.Goal(selector: selector);
        Assert.Null(goal.Selector);
        Assert.Contains(expected, goal.SelectorError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tier":"gold","env":"prod"}""", true)]
    [InlineData("""{"tier":"gold"}""", false)]
    [InlineData("""{"tier":"silver","env":"prod"}""", false)]
    public void Selector_MatchLabels_AllMustMatch(string labels, bool matches)
    {
        var goal = Objects.Goal(selector: """{"matchLabels":{"tier":"gold","env":"prod"}}""");
        var parsed = JsonNode.Parse(labels)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Equal(matches, goal.Selector!.Matches(parsed));
    }

    /// <summary>Each operator against a Plan with env=prod, a Plan with env=dev and a Plan without env.</summary>
    [Theory]
    [InlineData("In", """["prod","staging"]""", true, false, false)]
    [InlineData("NotIn", """["prod"]""", false, true, true)]
    [InlineData("Exists", "[]", true, true, false)]
    [InlineData("DoesNotExist", "[]", false, false, true)]
    public void Selector_MatchExpressions_EachOperator(string op, string values, bool prod, bool dev, bool none)
    {
        var goal = Objects.Goal(selector: $$"""{"matchExpressions":[{"key":"env","operator":"{{op}}","values":{{values}}}]}""");
        Assert.Null(goal.SelectorError);
        Assert.Equal(prod, goal.Selector!.Matches(Objects.Labels("env=prod")));
        Assert.Equal(dev, goal.Selector.Matches(Objects.Labels("env=dev")));
        Assert.Equal(none, goal.Selector.Matches(Objects.Labels("other=x")));
    }

    [Theory]
    [InlineData("""{"conditions":[{"type":"PlanResolved","status":"True","reason":"PlanFound","message":"m","lastTransitionTime":"2025-01-01T00:00:05Z","observedGeneration":2}]}""", true)]
    [InlineData("""{"conditions":[{"type":"Other","status":"True","reason":"r","message":"m","lastTransitionTime":"2025-01-01T00:00:05Z","observedGeneration":2}]}""", false)]
    [InlineData("""{"conditions":[{"type":"PlanResolved","status":"Maybe","reason":"r","message":"m","lastTransitionTime":"2025-01-01T00:00:05Z","observedGeneration":2}]}""", false)]
    [InlineData("""{"conditions":[{"type":"PlanResolved","status":"1","reason":"r","message":"m","lastTransitionTime":"2025-01-01T00:00:05Z","observedGeneration":2}]}""", false)]
    [InlineData("""{"conditions":[{"type":"PlanResolved","status":"True","reason":"r","message":"m","lastTransitionTime":"yesterday","observedGeneration":2}]}""", false)]
    [InlineData("""{"conditions":[{"type":"PlanResolved","status":"True","reason":"r","lastTransitionTime":"2025-01-01T00:00:05Z","observedGeneration":2}]}""", false)]
    [InlineData("""{"conditions":"PlanResolved"}""", false)]
    [InlineData("\"weird\"", false)]
    public void PreviousCondition_ReadLeniently(string status, bool readable)
    {
        var goal = Objects.Goal(status: status);
        var c = goal.PreviousCondition;
        Assert.Equal(readable, c is not null);
        if (c is not null)
        {
            Assert.Equal(new StatusCondition("PlanResolved", ConditionStatus.True, "PlanFound", "m", Objects.Epoch.AddSeconds(5), 2), c);
        }
    }
}
