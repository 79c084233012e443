using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>One change of one object, as a watch delivers it.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Object">
/// The object after the change. For <see cref="WatchEventType.Deleted"/> it is the object's last version: the one
/// before the delete, or, when the object only left the label selector, the object as it now is.
/// </param>
/// <param name="PreviousObject">The object before the change; null for <see cref="WatchEventType.Added"/>.</param>
public sealed record WatchEvent(WatchEventType Type, JsonObject Object, JsonObject? PreviousObject)
{
    /// <summary>The object's metadata.namespace; empty for a cluster-scoped object.</summary>
    public string Namespace => MetadataString(Object, "namespace");

    /// <summary>The object's metadata.name.</summary>
    public string Name => MetadataString(Object, "name");

    /// <summary>The object's metadata.resourceVersion (for a delete, the version the object had before it).</summary>
    public string ObjectResourceVersion => MetadataString(Object, "resourceVersion");

    internal static string MetadataString(JsonObject obj, string property) =>
        obj["metadata"] is JsonObject metadata && metadata[property] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : string.Empty;
}
