using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>One change of one object, as a watch delivers it.</summary>
public sealed record WatchEvent
{
    private readonly LazyJsonObject? _lazyObject;
    private readonly LazyJsonObject? _lazyPrevious;
    private readonly JsonObject? _object;
    private readonly JsonObject? _previous;

    /// <summary>Creates an event around objects already parsed (fakes and tests use this).</summary>
    /// <param name="type">What happened.</param>
    /// <param name="obj">The object after the change (see <see cref="Object"/>).</param>
    /// <param name="previousObject">The object before the change; null for <see cref="WatchEventType.Added"/>.</param>
    public WatchEvent(WatchEventType type, JsonObject obj, JsonObject? previousObject)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Type = type;
        _object = obj;
        _previous = previousObject;
    }

    /// <summary>An event whose objects are parsed from the server's bytes on first access.</summary>
    internal WatchEvent(WatchEventType type, ReadOnlyMemory<byte> rawObject, ReadOnlyMemory<byte> rawPrevious, ObjectOrigin what)
    {
        Type = type;
        _lazyObject = new LazyJsonObject(rawObject, what);
        if (!rawPrevious.IsEmpty) _lazyPrevious = new LazyJsonObject(rawPrevious, what);
    }

    /// <summary>What happened.</summary>
    public WatchEventType Type { get; init; }

    /// <summary>
    /// The object after the change. For <see cref="WatchEventType.Deleted"/> it is the object's last version: the one
    /// before the delete, or, when the object only left the label selector, the object as it now is. Parsed from the
    /// server's bytes on first access.
    /// </summary>
    /// <exception cref="ControlPlaneClientException">The server's bytes are not a JSON object (reason Internal).</exception>
    public JsonObject Object => _object ?? _lazyObject!.Value;

    /// <summary>The object before the change; null for <see cref="WatchEventType.Added"/>. Parsed on first access.</summary>
    /// <exception cref="ControlPlaneClientException">The server's bytes are not a JSON object (reason Internal).</exception>
    public JsonObject? PreviousObject => _previous ?? _lazyPrevious?.Value;

    /// <summary>
    /// <see cref="Object"/> as the server's UTF-8 JSON bytes, without parsing; empty for an event made around a parsed
    /// object.
    /// </summary>
    public ReadOnlyMemory<byte> RawObject => _lazyObject?.Json ?? ReadOnlyMemory<byte>.Empty;

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
