using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>
/// The fields of a Goal's status that identify a resolver decision (phase, activePlanRef, observedGeneration), the
/// PlanResolved condition's status, reason and lastTransitionTime, and the object's own generation at that commit.
/// </summary>
internal sealed record GoalStatusWrite(
    long ResourceVersion,
    long ObjectGeneration,
    string? Phase,
    string? Plan,
    long? ObservedGeneration,
    string? ConditionStatus,
    string? ConditionReason,
    long? ConditionObservedGeneration,
    string? LastTransitionTime)
{
    /// <summary>What makes two writes the same decision: a second write with the same one is a duplicate.</summary>
    public (long? Generation, string? Plan, string? Phase) Decision => (ObservedGeneration, Plan, Phase);

    public bool Matches(GoalExpectation expected) =>
        Phase == "Ready" && Plan == expected.Plan && ObservedGeneration == expected.Generation
        && ConditionStatus == "True" && ConditionReason == "PlanFound" && ConditionObservedGeneration == expected.Generation;

    public static string Name(JsonObject obj) => Metadata(obj, "name")?.GetValue<string>() ?? "";

    /// <summary>Reads the status of <paramref name="goal"/>; false when it has none.</summary>
    public static bool TryRead(JsonObject goal, [NotNullWhen(true)] out GoalStatusWrite? write)
    {
        write = null;
        if (goal["status"] is not JsonObject status) return false;
        var condition = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "PlanResolved");
        write = new GoalStatusWrite(
            long.Parse(Metadata(goal, "resourceVersion")!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Number(Metadata(goal, "generation")) ?? 0,
            Text(status["phase"]),
            Text(status["activePlanRef"]?["name"]),
            Number(status["observedGeneration"]),
            Text(condition?["status"]),
            Text(condition?["reason"]),
            Number(condition?["observedGeneration"]),
            Text(condition?["lastTransitionTime"]));
        return true;
    }

    public override string ToString() =>
        $"rv {ResourceVersion} gen {ObjectGeneration}: {Phase} {Plan ?? "-"} observedGeneration {ObservedGeneration} PlanResolved {ConditionStatus}/{ConditionReason} since {LastTransitionTime}";

    private static JsonNode? Metadata(JsonObject obj, string property) => (obj["metadata"] as JsonObject)?[property];

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
