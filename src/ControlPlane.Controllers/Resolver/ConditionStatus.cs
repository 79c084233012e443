namespace ControlPlane.Controllers.Resolver;

/// <summary>The status of a condition, as Kubernetes spells it.</summary>
public enum ConditionStatus
{
    Unknown,
    True,
    False,
}
