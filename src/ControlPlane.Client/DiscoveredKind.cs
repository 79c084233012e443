namespace ControlPlane.Client;

/// <summary>A kind that currently has objects in the store, as discovery reports it.</summary>
/// <param name="ApiVersion">"group/version", or "version" for the core group.</param>
/// <param name="Kind">The kind, e.g. <c>Goal</c>.</param>
/// <param name="Count">How many objects of the kind exist.</param>
/// <param name="Namespaced">True when any object of the kind has a namespace.</param>
public sealed record DiscoveredKind(string ApiVersion, string Kind, long Count, bool Namespaced)
{
    /// <summary>The group part of <see cref="ApiVersion"/>; empty for the core group.</summary>
    public string Group => ApiVersions.Split(ApiVersion).Group;

    /// <summary>The version part of <see cref="ApiVersion"/>.</summary>
    public string Version => ApiVersions.Split(ApiVersion).Version;
}
