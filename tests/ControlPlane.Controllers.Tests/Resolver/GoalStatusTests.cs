using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Controllers.Resolver;

namespace ControlPlane.Controllers.Tests.Resolver;

public class GoalStatusTests
{
    private static readonly StatusCondition Resolved =
        new("PlanResolved", ConditionStatus.True, "PlanFound", "m", Objects.Epoch, 2);

    private static readonly GoalStatus Ready = new(new PlanRef("p", "d"), GoalPhase.Ready, 2, Resolved);

    private static readonly string ReadyJson = Ready.ToStatusJson(null).ToJsonString();

    private static JsonElement Element(string json) => JsonSerializer.SerializeToElement(JsonNode.Parse(json));

    [Fact]
    public void ToStatusJson_FromNothing()
    {
        Assert.Equal(
            """{"activePlanRef":{"name":"p","namespace":"d"},"phase":"Ready","observedGeneration":2,"conditions":[{"type":"PlanResolved","status":"True","reason":"PlanFound","message":"m","lastTransitionTime":"2025-01-01T00:00:00Z","observedGeneration":2}]}""",
            ReadyJson);
    }

    [Fact]
    public void ToStatusJson_KeepsFieldsAndConditionsItDoesNotOwn()
    {
        var current = Element("""
            {"progress":42,"phase":"Pending","conditions":[
              {"type":"Healthy","status":"True"},
              {"type":"PlanResolved","status":"False","reason":"NoPlanFound"},
              {"type":"Other","status":"False"},
              {"type":"PlanResolved","status":"False","reason":"duplicate"}]}
            """);
        var json = Ready.ToStatusJson(current);
        Assert.Equal(42, json["progress"]!.GetValue<int>());
        Assert.Equal(
            ["Healthy", "PlanResolved", "Other"],
            json["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal("PlanFound", json["conditions"]![1]!["reason"]!.GetValue<string>());
        Assert.Equal("Ready", json["phase"]!.GetValue<string>());
        Assert.Equal(["progress", "phase", "conditions", "activePlanRef", "observedGeneration"], json.Select(p => p.Key));
    }

    [Theory]
    [InlineData("""{"conditions":"broken"}""")]
    [InlineData("""{"conditions":null}""")]
    [InlineData("""{"conditions":[1, "x", {"type":3}]}""")]
    public void ToStatusJson_RepairsConditions(string current)
    {
        var conditions = Ready.ToStatusJson(Element(current))["conditions"]!.AsArray();
        Assert.Equal("PlanResolved", conditions[^1]!["type"]!.GetValue<string>());
        Assert.Single(conditions, c => c is JsonObject o && o["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "PlanResolved");
    }

    [Fact]
    public void ToStatusJson_PendingRemovesActivePlanRef()
    {
        var pending = Ready with { ActivePlanRef = null, Phase = GoalPhase.Pending };
        var json = pending.ToStatusJson(Element(ReadyJson));
        Assert.False(json.ContainsKey("activePlanRef"));
        Assert.Equal("Pending", json["phase"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("\"text\"", true)]
    [InlineData("{}", true)]
    [InlineData("""{"phase":"Ready"}""", true)]
    public void DiffersFrom_IncompleteStatus(string? current, bool differs)
    {
        Assert.Equal(differs, Ready.DiffersFrom(current is null ? null : Element(current)));
    }

    [Fact]
    public void DiffersFrom_OwnJson_IsFalse_WhateverTheOrderAndUnownedContent()
    {
        Assert.False(Ready.DiffersFrom(Element(ReadyJson)));
        var reordered = """
            {"conditions":[{"type":"Other","status":"x"},{"observedGeneration":2,"lastTransitionTime":"2025-01-01T00:00:00Z","message":"m","reason":"PlanFound","status":"True","type":"PlanResolved"}],
             "extra":{"a":1},"observedGeneration":2,"phase":"Ready","activePlanRef":{"namespace":"d","name":"p"}}
            """;
        Assert.False(Ready.DiffersFrom(Element(reordered)));
    }

    [Theory]
    [InlineData("activePlanRef", """{"name":"q","namespace":"d"}""")]
    [InlineData("phase", "\"Pending\"")]
    [InlineData("observedGeneration", "1")]
    public void DiffersFrom_AnyOwnedFieldChanged_IsTrue(string field, string value)
    {
        var current = JsonNode.Parse(ReadyJson)!.AsObject();
        current[field] = JsonNode.Parse(value);
        Assert.True(Ready.DiffersFrom(JsonSerializer.SerializeToElement(current)));
    }

    [Theory]
    [InlineData("status", "\"False\"")]
    [InlineData("reason", "\"NoPlanFound\"")]
    [InlineData("message", "\"other\"")]
    [InlineData("lastTransitionTime", "\"2025-01-01T00:00:01Z\"")]
    [InlineData("observedGeneration", "1")]
    public void DiffersFrom_AnyConditionFieldChanged_IsTrue(string field, string value)
    {
        var current = JsonNode.Parse(ReadyJson)!.AsObject();
        current["conditions"]![0]![field] = JsonNode.Parse(value);
        Assert.True(Ready.DiffersFrom(JsonSerializer.SerializeToElement(current)));
    }

    [Fact]
    public void DiffersFrom_DuplicatePlanResolved_IsTrue()
    {
        var current = JsonNode.Parse(ReadyJson)!.AsObject();
        current["conditions"]!.AsArray().Add(Resolved.ToJson());
        Assert.True(Ready.DiffersFrom(JsonSerializer.SerializeToElement(current)));
    }

    [Fact]
    public void Condition_ReadsNumbersHoweverTheyAreBacked()
    {
        var built = Resolved.ToJson();
        built["observedGeneration"] = 2;
        Assert.Equal(Resolved, StatusCondition.TryRead(built));
        built["observedGeneration"] = 2.5;
        Assert.Null(StatusCondition.TryRead(built));
    }

    [Fact]
    public void Condition_RoundTripsThroughJson()
    {
        Assert.Equal(Resolved, StatusCondition.TryRead(Resolved.ToJson()));
    }
}
