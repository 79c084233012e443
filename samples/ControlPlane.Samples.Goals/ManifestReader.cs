using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ControlPlane.Samples.Goals;

/// <summary>
/// Reads the sample's YAML manifests (documents separated by <c>---</c>) into JSON objects. Deliberately small: every
/// scalar becomes a JSON string, which is all these manifests hold (cpctl's reader types numbers and booleans too).
/// </summary>
public static class ManifestReader
{
    /// <summary>The objects of <paramref name="path"/>, in order; throws <see cref="FormatException"/> naming the file and document.</summary>
    public static IReadOnlyList<JsonObject> ReadFile(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path)) stream.Load(reader);
        var objects = new List<JsonObject>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            objects.Add(Convert(stream.Documents[i].RootNode) as JsonObject
                ?? throw new FormatException($"{path}: document {i + 1} is not a mapping"));
        }

        return objects;
    }

    private static JsonNode Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, (JsonNode?)Convert(p.Value)))),
        _ => throw new FormatException($"line {node.Start.Line}: unsupported YAML node {node.NodeType}"),
    };
}
