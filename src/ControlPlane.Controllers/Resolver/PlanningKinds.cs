using ControlPlane.Core.Resources;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The API group of the resolver's kinds: <c>planning.controlplane.dev/v1</c>, kinds <c>Goal</c> and <c>Plan</c>,
/// both namespaced. A Plan names the Goal it satisfies in <c>spec.goalRef.name</c>; the resolver writes the
/// chosen Plan into the Goal's status.
/// </summary>
public static class PlanningKinds
{
    public const string Group = "planning.controlplane.dev";

    public const string Version = "v1";

    public const string ApiVersion = Group + "/" + Version;

    public const string GoalKind = "Goal";

    public const string PlanKind = "Plan";

    public static ResourceKind Goal { get; } = new(Group, Version, GoalKind);

    public static ResourceKind Plan { get; } = new(Group, Version, PlanKind);

    public static ResourceKey GoalKey(string @namespace, string name) => new(Group, Version, GoalKind, @namespace, name);

    public static ResourceKey PlanKey(string @namespace, string name) => new(Group, Version, PlanKind, @namespace, name);
}
