using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;

namespace ControlPlane.Core.Store;

/// <summary>A list request: one kind, optionally one namespace, a label selector and a page.</summary>
public sealed record ListQuery
{
    public required ResourceKind Kind { get; init; }

    /// <summary>Null lists every namespace.</summary>
    public string? Namespace { get; init; }

    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>0 means no limit.</summary>
    public int Limit { get; init; }

    /// <summary>Resume after this key (exclusive); taken from a continue token.</summary>
    public ResourceKey? After { get; init; }
}

/// <summary>One page of a list, read from a single consistent view of the store.</summary>
public sealed record ListResult(IReadOnlyList<StoredResource> Items, long ResourceVersion, ResourceKey? Next, long RemainingItemCount);
