using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>The answer to a get.</summary>
/// <param name="Object">The object.</param>
/// <param name="RawObject">The object as the server's UTF-8 JSON bytes.</param>
/// <param name="ResourceVersion">The object's metadata.resourceVersion: pass it back as the expected version of a conditional write.</param>
/// <param name="AppliedIndex">The serving node's applied index when it read (how fresh a local read was).</param>
public sealed record ResourceResult(JsonObject Object, ReadOnlyMemory<byte> RawObject, string ResourceVersion, long AppliedIndex);
