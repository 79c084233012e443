namespace ControlPlane.Controllers.Resolver;

/// <summary>A Goal's <c>status.activePlanRef</c>: the Plan the resolver chose.</summary>
public sealed record PlanRef(string Name, string Namespace)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
