using System.Diagnostics.CodeAnalysis;

namespace ControlPlane.Core.Resources;

/// <summary>
/// Identifies one resource: (group, version, kind, namespace, name). Cluster-scoped resources have an empty namespace.
/// Ordinal ordering: group, version, kind, namespace, name, which is also the list order.
/// </summary>
public readonly record struct ResourceKey(string Group, string Version, string Kind, string Namespace, string Name)
    : IComparable<ResourceKey>
{
    /// <summary>"group/version", or "version" for the core (empty) group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public ResourceKind ResourceKind => new(Group, Version, Kind);

    public static ResourceKey Create(string apiVersion, string kind, string? @namespace, string name)
    {
        var (group, version) = ResourceKind.SplitApiVersion(apiVersion);
        return new(group, version, kind, @namespace ?? string.Empty, name);
    }

    public int CompareTo(ResourceKey other)
    {
        var c = ResourceKind.CompareTo(other.ResourceKind);
        if (c != 0) return c;
        c = string.CompareOrdinal(Namespace, other.Namespace);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>"apiVersion/kind/namespace/name", or "apiVersion/kind/name" for a cluster-scoped key.</summary>
    public override string ToString() => string.Create(FormattedLength, this, static (text, key) => key.TryFormat(text, out _));

    private int FormattedLength =>
        (Group.Length == 0 ? 0 : Group.Length + 1) + Version.Length + 1 + Kind.Length + 1 + (Namespace.Length == 0 ? 0 : Namespace.Length + 1) + Name.Length;

    /// <summary>Writes what <see cref="ToString"/> returns into <paramref name="destination"/>, allocating nothing; false when it does not fit.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten) => (Group.Length == 0, Namespace.Length == 0) switch
    {
        (true, true) => destination.TryWrite($"{Version}/{Kind}/{Name}", out charsWritten),
        (true, false) => destination.TryWrite($"{Version}/{Kind}/{Namespace}/{Name}", out charsWritten),
        (false, true) => destination.TryWrite($"{Group}/{Version}/{Kind}/{Name}", out charsWritten),
        (false, false) => destination.TryWrite($"{Group}/{Version}/{Kind}/{Namespace}/{Name}", out charsWritten),
    };
}

/// <summary>A kind within an API group and version.</summary>
public readonly record struct ResourceKind(string Group, string Version, string Kind) : IComparable<ResourceKind>
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ResourceKind Create(string apiVersion, string kind)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return new(group, version, kind);
    }

    /// <summary>Splits "group/version" (or "version") without validating either part.</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    public static bool TryParse(string apiVersion, string kind, [NotNullWhen(true)] out ResourceKind? result)
    {
        result = null;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)) return false;
        result = Create(apiVersion, kind);
        return true;
    }

    public int CompareTo(ResourceKind other)
    {
        var c = string.CompareOrdinal(Group, other.Group);
        if (c != 0) return c;
        c = string.CompareOrdinal(Version, other.Version);
        return c != 0 ? c : string.CompareOrdinal(Kind, other.Kind);
    }

    public override string ToString() => $"{ApiVersion}/{Kind}";
}
