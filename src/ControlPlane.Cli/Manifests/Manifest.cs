using System.Text.Json.Nodes;

namespace ControlPlane.Cli.Manifests;

/// <summary>One object read from a manifest, and where it came from (for messages).</summary>
internal sealed record Manifest(JsonObject Object, string Source);
