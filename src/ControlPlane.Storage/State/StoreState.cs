using System.Collections.Immutable;
using ControlPlane.Core.Resources;

namespace ControlPlane.Storage.State;

/// <summary>
/// One immutable, revision-stamped view of the whole replicated state. Apply builds the next view from this
/// one and swaps it in; readers hold a view as long as they like and never block apply.
/// </summary>
public sealed record StoreState
{
    /// <summary>How long a request id is remembered, measured in leader-stamped command time.</summary>
    public const long RequestRetentionMs = 15 * 60 * 1000;

    /// <summary>At most this many request ids are remembered; the oldest go first.</summary>
    public const int MaxRequestRecords = 50_000;

    public static StoreState Empty { get; } = new();

    /// <summary>An empty object map of one kind, ordered by namespace then name.</summary>
    internal static ImmutableSortedDictionary<ResourceKey, StoredResource> NoObjects { get; } =
        ImmutableSortedDictionary.Create<ResourceKey, StoredResource>(WithinKindKeyComparer.Instance);

    /// <summary>Objects per kind, each kind ordered by namespace then name.</summary>
    public ImmutableSortedDictionary<ResourceKind, ImmutableSortedDictionary<ResourceKey, StoredResource>> Kinds { get; init; } =
        ImmutableSortedDictionary<ResourceKind, ImmutableSortedDictionary<ResourceKey, StoredResource>>.Empty;

    /// <summary>The index of the last log entry this view reflects.</summary>
    public long AppliedIndex { get; init; }

    public long ObjectCount { get; init; }

    /// <summary>Order-independent digest of every object; equal on converged replicas (P10).</summary>
    public StateHash Hash { get; init; }

    /// <summary>The request ids remembered for deduplication, oldest first (P8).</summary>
    public RequestTable Requests { get; init; } = RequestTable.Empty;

    public StoredResource? Find(ResourceKey key) =>
        Kinds.TryGetValue(key.ResourceKind, out var objects) && objects.TryGetValue(key, out var found) ? found : null;

    /// <summary>The objects of one kind in key order (empty when none).</summary>
    public ImmutableSortedDictionary<ResourceKey, StoredResource> OfKind(ResourceKind kind) =>
        Kinds.TryGetValue(kind, out var objects) ? objects : NoObjects;

    internal StoreState WithObject(ResourceKey key, StoredResource? previous, StoredResource? next)
    {
        var objects = OfKind(key.ResourceKind);
        objects = next is null ? objects.Remove(key) : objects.SetItem(key, next);
        var kinds = objects.IsEmpty ? Kinds.Remove(key.ResourceKind) : Kinds.SetItem(key.ResourceKind, objects);
        var hash = Hash;
        if (previous is not null) hash = hash.Remove(previous);
        if (next is not null) hash = hash.Add(next);
        var count = ObjectCount + (previous is null ? 1 : 0) - (next is null ? 1 : 0);
        return this with { Kinds = kinds, Hash = hash, ObjectCount = count };
    }

    /// <summary>Forgets request ids that are too old or too many, judged by the command's own timestamp.</summary>
    internal StoreState ExpireRequests(long nowMs)
    {
        var requests = Requests;
        while (!requests.IsEmpty && (requests.Count > MaxRequestRecords || nowMs - requests.Oldest.TimestampMs > RequestRetentionMs))
        {
            requests = requests.RemoveOldest();
        }

        return ReferenceEquals(requests, Requests) ? this : this with { Requests = requests };
    }

    /// <summary>Remembers a request id, then forgets the oldest so that at most <see cref="MaxRequestRecords"/> remain.</summary>
    internal StoreState WithRequest(RequestRecord record) => (this with { Requests = Requests.Add(record) }).ExpireRequests(record.TimestampMs);
}
