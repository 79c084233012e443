using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace ControlPlane.Core.Resources;

/// <summary>
/// An immutable stored resource. <see cref="Json"/> is the whole object as UTF-8 JSON with its metadata
/// (uid, resourceVersion, generation, creationTimestamp) already filled in; the other members are parsed
/// from it once, when the state machine applied the write, so reads never re-parse.
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

    /// <summary>Parses a fresh, mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(Json)!;
}
