using System.Collections.Immutable;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// The outcome of resolving one Goal: the status it should have and, for logs and events, the Plan chosen and the
/// series heads that lost to <c>spec.supersedes</c>.
/// </summary>
public sealed record GoalResolution(GoalStatus Status, PlanView? Selected, ImmutableArray<PlanView> Superseded);
