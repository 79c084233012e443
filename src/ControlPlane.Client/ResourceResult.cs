using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>The answer to a get.</summary>
public sealed record ResourceResult
{
    private readonly LazyJsonObject? _lazy;
    private readonly JsonObject? _object;

    /// <summary>Creates a result around an object already parsed (fakes and tests use this).</summary>
    /// <param name="obj">The object.</param>
    /// <param name="rawObject">The object as UTF-8 JSON bytes.</param>
    /// <param name="resourceVersion">The object's metadata.resourceVersion.</param>
    /// <param name="appliedIndex">The serving node's applied index when it read.</param>
    public ResourceResult(JsonObject obj, ReadOnlyMemory<byte> rawObject, string resourceVersion, long appliedIndex)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _object = obj;
        RawObject = rawObject;
        ResourceVersion = resourceVersion;
        AppliedIndex = appliedIndex;
    }

    /// <summary>A result whose object is parsed from the server's bytes on first access.</summary>
    internal ResourceResult(ReadOnlyMemory<byte> rawObject, long appliedIndex, string operation)
    {
        _lazy = new LazyJsonObject(rawObject, operation);
        RawObject = rawObject;
        ResourceVersion = LazyJsonObject.ReadResourceVersion(rawObject.Span, operation);
        AppliedIndex = appliedIndex;
    }

    /// <summary>The object, parsed from <see cref="RawObject"/> on first access.</summary>
    /// <exception cref="ControlPlaneClientException">The server's bytes are not a JSON object (reason Internal).</exception>
    public JsonObject Object => _object ?? _lazy!.Value;

    /// <summary>The object as the server's UTF-8 JSON bytes.</summary>
    public ReadOnlyMemory<byte> RawObject { get; init; }

    /// <summary>The object's metadata.resourceVersion: pass it back as the expected version of a conditional write.</summary>
    public string ResourceVersion { get; init; }

    /// <summary>The serving node's applied index when it read (how fresh a local read was).</summary>
    public long AppliedIndex { get; init; }
}
