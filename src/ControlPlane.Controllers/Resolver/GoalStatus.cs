using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The part of a Goal's status the resolver owns: <c>activePlanRef</c>, <c>phase</c>, <c>observedGeneration</c>
/// and the <c>PlanResolved</c> condition. Everything else in the status (other conditions, other fields) belongs
/// to someone else and is carried over untouched by <see cref="ToStatusJson"/>.
/// </summary>
public sealed record GoalStatus(PlanRef? ActivePlanRef, GoalPhase Phase, long ObservedGeneration, StatusCondition PlanResolved)
{
    /// <summary>
    /// The whole status to write: <paramref name="current"/> (when it is an object) with the owned fields set,
    /// <c>activePlanRef</c> removed when there is none, and the <c>PlanResolved</c> condition replacing the first
    /// one of that type (later duplicates are dropped) or appended. Property order of existing fields is kept.
    /// </summary>
    public JsonObject ToStatusJson(JsonElement? current)
    {
        var status = current is { ValueKind: JsonValueKind.Object } element ? JsonObject.Create(element)! : [];
        if (ActivePlanRef is null)
        {
            status.Remove("activePlanRef");
        }
        else
        {
            status["activePlanRef"] = new JsonObject { ["name"] = ActivePlanRef.Name, ["namespace"] = ActivePlanRef.Namespace };
        }

        status["phase"] = Phase.ToString();
        status["observedGeneration"] = ObservedGeneration;
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var replaced = false;
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i] is not JsonObject c || !JsonFields.TryString(c["type"], out var type) || type != PlanResolved.Type) continue;
            if (replaced)
            {
                conditions.RemoveAt(i--);
            }
            else
            {
                conditions[i] = PlanResolved.ToJson();
                replaced = true;
            }
        }

        if (!replaced) conditions.Add(PlanResolved.ToJson());
        return status;
    }

    /// <summary>
    /// True when writing <see cref="ToStatusJson"/> would change <paramref name="current"/>. False means the
    /// stored status already says exactly this, so the controller writes nothing (no write, no watch event,
    /// no re-resolve: no hot loop).
    /// </summary>
    public bool DiffersFrom(JsonElement? current)
    {
        if (current is not { ValueKind: JsonValueKind.Object } element) return true;
        return !JsonNode.DeepEquals(JsonObject.Create(element), ToStatusJson(element));
    }
}
