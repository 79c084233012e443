namespace ControlPlane.Controllers.Resolver;

/// <summary>The <c>PlanResolved</c> condition type and its reasons.</summary>
public static class PlanResolvedReasons
{
    public const string ConditionType = "PlanResolved";

    /// <summary>True: a Plan was chosen and is in <c>status.activePlanRef</c>.</summary>
    public const string PlanFound = nameof(PlanFound);

    /// <summary>False: no Plan in the Goal's namespace references it, or every one that does is superseded.</summary>
    public const string NoPlanFound = nameof(NoPlanFound);

    /// <summary>False: Plans reference the Goal, but none matches its <c>spec.planSelector</c>.</summary>
    public const string NoPlanMatchesSelector = nameof(NoPlanMatchesSelector);

    /// <summary>False: the Goal's <c>spec.planSelector</c> cannot be evaluated; the message says why.</summary>
    public const string InvalidSelector = nameof(InvalidSelector);
}
