using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>A change to a <see cref="ResourceInformer"/>'s cache, as its handlers receive it.</summary>
/// <param name="Type">How the cache changed.</param>
/// <param name="Object">
/// The object now in the cache; for <see cref="InformerEventType.Deleted"/>, the last version the informer knew.
/// Treat it as read-only: the cache holds the same instance (<see cref="JsonNode.DeepClone"/> it to modify a copy).
/// </param>
/// <param name="OldObject">For <see cref="InformerEventType.Updated"/>, the version the cache held before; otherwise null.</param>
/// <param name="ResourceVersion">
/// The position the cache reached with this change: the commit's (the last commit's when the watch delivered several
/// in one batch), or the re-list's.
/// </param>
public sealed record InformerEvent(InformerEventType Type, JsonObject Object, JsonObject? OldObject, string ResourceVersion)
{
    /// <summary>The object's metadata.namespace; empty for a cluster-scoped object.</summary>
    public string Namespace => WatchEvent.MetadataString(Object, "namespace");

    /// <summary>The object's metadata.name.</summary>
    public string Name => WatchEvent.MetadataString(Object, "name");
}
