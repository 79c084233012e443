namespace ControlPlane.Controllers.Resolver;

/// <summary>A Goal's <c>status.phase</c>.</summary>
public enum GoalPhase
{
    /// <summary>No Plan is active: none exists, none matches, or the Goal's selector is invalid.</summary>
    Pending,

    /// <summary><c>status.activePlanRef</c> names the chosen Plan.</summary>
    Ready,
}
