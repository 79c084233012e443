namespace ControlPlane.Testing.Watch;

/// <summary>Identifies one object: apiVersion, kind, namespace (empty when cluster-scoped) and name.</summary>
public sealed record ObjectKey(string ApiVersion, string Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
