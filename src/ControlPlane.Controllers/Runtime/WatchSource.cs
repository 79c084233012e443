using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;

namespace ControlPlane.Controllers.Runtime;

/// <summary>One kind a controller lists and watches, and how its changes become keys to reconcile.</summary>
public sealed record WatchSource
{
    public required ResourceKind Kind { get; init; }

    /// <summary>Null watches every namespace.</summary>
    public string? Namespace { get; init; }

    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>Defaults to the changed object's own key (<see cref="OwnKey"/>).</summary>
    public ChangeMapper Map { get; init; } = OwnKey;

    /// <summary>
    /// Called with every object of each (re)list, before the list's changes go to <see cref="Map"/>: a controller
    /// that keeps its own cache of the kind (an index) replaces its content here and follows the changes in its
    /// mapper. Null for none.
    /// </summary>
    public Action<IReadOnlyList<StoredResource>>? Listed { get; init; }

    /// <summary>Reconcile the objects of <paramref name="kind"/> themselves.</summary>
    public static WatchSource For(ResourceKind kind) => new() { Kind = kind };

    /// <summary>Reconcile whatever <paramref name="map"/> names when an object of <paramref name="kind"/> changes.</summary>
    public static WatchSource Mapped(ResourceKind kind, ChangeMapper map) => new() { Kind = kind, Map = map };

    /// <summary>The changed object's own key.</summary>
    public static IEnumerable<ResourceKey> OwnKey(StoredResource? before, StoredResource? after) =>
        (after ?? before) is { } changed ? [changed.Key] : [];

    public override string ToString() =>
        Namespace is null ? Kind.ToString() : $"{Kind} in {Namespace}";
}
