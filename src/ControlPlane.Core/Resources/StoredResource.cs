using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace ControlPlane.Core.Resources;

/// <summary>
/// An immutable stored resource (its one mutable member caches a value derived from it, <see cref="DigestShare"/>).
/// <see cref="Json"/> is the whole object as UTF-8 JSON with its metadata (uid, resourceVersion, generation,
/// creationTimestamp) already filled in; the other members are parsed from it once, when the state machine applied
/// the write, so reads never re-parse.
/// </summary>
public sealed class StoredResource
{
    public StoredResource(
        ResourceKey key,
        string uid,
        long resourceVersion,
        long generation,
        long creationTimestampMs,
        FrozenDictionary<string, string> labels,
        byte[] json)
    {
        Key = key;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Generation = generation;
        CreationTimestampMs = creationTimestampMs;
        Labels = labels;
        Json = json;
    }

    public ResourceKey Key { get; }

    public string Uid { get; }

    /// <summary>The Raft log index of the write that produced this version.</summary>
    public long ResourceVersion { get; }

    public long Generation { get; }

    /// <summary>Unix milliseconds, stamped by the leader that created the resource.</summary>
    public long CreationTimestampMs { get; }

    public FrozenDictionary<string, string> Labels { get; }

    /// <summary>The full object as UTF-8 JSON. Never mutate.</summary>
    public byte[] Json { get; }

    /// <summary>
    /// This object's share of the store's state digest (ControlPlane.Storage's <c>StateHash</c>), kept once computed:
    /// the digest adds an object's share when it is stored and subtracts it again when a later write replaces or
    /// deletes it, and hashing the same bytes twice was half of what the digest cost every replace. 0 means not yet
    /// computed (a share that is really 0 is merely computed again). Only the applier and snapshot reading (on objects
    /// they just created) compute it; a reader racing them would at worst compute the same value again.
    /// </summary>
    internal ulong DigestShare { get; set; }

    /// <summary>Parses a fresh, mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(Json)!;
}
