using System.Text.Json.Nodes;

namespace ControlPlane.Samples.Goals;

/// <summary>What the resolver wrote in a Goal's status, next to the Goal's own generation.</summary>
public sealed record GoalSummary(
    string Name,
    long Generation,
    string Phase,
    string ActivePlan,
    long? ObservedGeneration,
    string Reason,
    string Message,
    string Since)
{
    public const string Header = "GOAL    GEN  OBSERVED  PHASE    ACTIVE PLAN  REASON                  SINCE                 MESSAGE";

    /// <summary>True once the status describes the Goal's current generation (the resolver has caught up with its spec).</summary>
    public bool IsCurrent => ObservedGeneration == Generation && Reason.Length > 0;

    public static GoalSummary From(JsonObject goal)
    {
        var status = goal["status"] as JsonObject;
        var condition = (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["type"]) == "PlanResolved");
        return new GoalSummary(
            Text(goal["metadata"]?["name"]),
            Number(goal["metadata"]?["generation"]) ?? 0,
            Text(status?["phase"]),
            Text(status?["activePlanRef"]?["name"]),
            Number(status?["observedGeneration"]),
            Text(condition?["reason"]),
            Text(condition?["message"]),
            Text(condition?["lastTransitionTime"]));
    }

    public override string ToString() =>
        $"{Name,-7} {Generation,-4} {ObservedGeneration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-9} {Or(Phase),-8} {Or(ActivePlan),-12} {Or(Reason),-23} {Or(Since),-21} {Message}";

    private static string Or(string text) => text.Length == 0 ? "-" : text;

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
