namespace ControlPlane.Client;

/// <summary>A kind resolved from what a person typed.</summary>
/// <param name="ApiVersion">"group/version", or "version" for the core group.</param>
/// <param name="Kind">The kind's exact name, e.g. <c>Goal</c>.</param>
/// <param name="Namespaced">Whether objects of the kind have namespaces; null when discovery did not know the kind.</param>
public sealed record ResolvedKind(string ApiVersion, string Kind, bool? Namespaced)
{
    /// <summary>The group part of <see cref="ApiVersion"/>; empty for the core group.</summary>
    public string Group => ApiVersions.Split(ApiVersion).Group;

    /// <summary>The kubectl-style resource name: the lower-case kind, then <c>.group</c> unless the group is the core one (<c>goal.example.com</c>).</summary>
    public string DisplayName => Group.Length == 0 ? Kind.ToLowerInvariant() : $"{Kind.ToLowerInvariant()}.{Group}";

    /// <inheritdoc />
    public override string ToString() => $"{ApiVersion}/{Kind}";
}
