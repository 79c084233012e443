using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;
using ControlPlane.Core.Validation;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// What the resolver reads from a Goal: identity, generation, the plan selector (or why it is invalid) and the
/// status it currently has (for the condition's transition time and for "did anything change").
/// </summary>
/// <remarks>
/// Goal shape (<c>planning.controlplane.dev/v1</c>, kind <c>Goal</c>, namespaced): <c>spec.planSelector</c>, an
/// optional Kubernetes LabelSelector (matchLabels and matchExpressions). Other spec fields are ignored here.
/// An invalid selector does not make the Goal unreadable: it is carried in <see cref="SelectorError"/> and the
/// resolver reports it in the Goal's condition.
/// </remarks>
public sealed record GoalView
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary><c>metadata.generation</c>; becomes <c>status.observedGeneration</c>.</summary>
    public required long Generation { get; init; }

    /// <summary>The parsed <c>spec.planSelector</c>; null exactly when <see cref="SelectorError"/> is set.</summary>
    public LabelSelector? Selector { get; init; } = LabelSelector.Everything;

    public string? SelectorError { get; init; }

    /// <summary>The Goal's current <c>status</c> object as stored (null when it has none).</summary>
    public JsonElement? Status { get; init; }

    public ResourceKey Key => PlanningKinds.GoalKey(Namespace, Name);

    /// <summary>The <c>PlanResolved</c> condition the Goal has now; null when absent or malformed.</summary>
    public StatusCondition? PreviousCondition => Status is { ValueKind: JsonValueKind.Object } s
        ? StatusCondition.Find(JsonObject.Create(s), PlanResolvedReasons.ConditionType)
        : null;

    /// <summary>The <c>status.activePlanRef</c> the Goal has now; null when absent or malformed.</summary>
    public PlanRef? ActivePlanRef => Status is { ValueKind: JsonValueKind.Object } s
        && s.TryGetProperty("activePlanRef", out var r) && r.ValueKind == JsonValueKind.Object
        && r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
        && r.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String
            ? new PlanRef(n.GetString()!, ns.GetString()!)
            : null;

    /// <summary>Reads a Goal object; throws <see cref="ControlPlaneException"/> (Invalid) naming the first problem.</summary>
    public static GoalView Parse(JsonObject goal)
    {
        var (key, _) = ResourceHeader.Read(goal, PlanningKinds.GoalKind);
        var metadata = (JsonObject)goal["metadata"]!;
        if (!JsonFields.TryLong(metadata["generation"], out var generation) || generation < 0)
        {
            throw ControlPlaneException.Invalid($"Goal {key.Namespace}/{key.Name}: metadata.generation must be a non-negative integer (the store stamps it)");
        }

        if (goal["spec"] is { } specNode && specNode is not JsonObject)
        {
            throw ControlPlaneException.Invalid($"Goal {key.Namespace}/{key.Name}: spec must be an object, got {ObjectValidator.Describe(specNode)}");
        }

        var spec = goal["spec"] as JsonObject;
        LabelSelector? selector = null;
        string? selectorError = null;
        try
        {
            selector = PlanSelectorReader.Read(spec?["planSelector"]);
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Invalid)
        {
            selectorError = e.Message;
        }

        return new GoalView
        {
            Namespace = key.Namespace,
            Name = key.Name,
            Generation = generation,
            Selector = selector,
            SelectorError = selectorError,
            Status = goal["status"] is { } status ? JsonSerializer.SerializeToElement(status) : null,
        };
    }

    public static bool TryParse(JsonObject goal, [NotNullWhen(true)] out GoalView? view, [NotNullWhen(false)] out string? error) =>
        ResourceHeader.TryParse(Parse, goal, out view, out error);

    public static GoalView FromStored(StoredResource stored) => Parse(stored.ToJsonObject());

    public override string ToString() => $"{Namespace}/{Name}";
}
