using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;

namespace ControlPlane.Core.Watch;

/// <summary>What to watch: one kind, optionally one namespace, one name and a label selector.</summary>
public sealed record WatchQuery
{
    public required ResourceKind Kind { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>Exclusive start; null means from now.</summary>
    public long? FromResourceVersion { get; init; }

    /// <summary>Events carry no previous object (half the bytes of a modification), for watchers that keep their own copy.</summary>
    public bool OmitPrevious { get; init; }

    /// <summary>Whether the object is in scope, before the selector.</summary>
    public bool InScope(ResourceKey key) =>
        key.ResourceKind == Kind && (Namespace is null || key.Namespace == Namespace) && (Name is null || key.Name == Name);
}
