using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Google.Protobuf;

namespace ControlPlane.IntegrationTests;

/// <summary>Builders for the JSON objects and references the tests send.</summary>
internal static class Objects
{
    public const string ApiVersion = "example.com/v1";
    public const string Kind = "Widget";
    public const string Namespace = "default";

    public static ByteString Widget(string name, int size = 1, string? labels = null) =>
        ByteString.CopyFromUtf8($$$"""{"apiVersion":"{{{ApiVersion}}}","kind":"{{{Kind}}}","metadata":{"name":"{{{name}}}","namespace":"{{{Namespace}}}"{{{(labels is null ? "" : ",\"labels\":" + labels)}}}},"spec":{"size":{{{size}}}}}""");

    public static ResourceRef Ref(string name) => new() { ApiVersion = ApiVersion, Kind = Kind, Namespace = Namespace, Name = name };

    public static JsonObject Parse(ByteString bytes) => (JsonObject)JsonNode.Parse(bytes.Span)!;

    public static long Rv(ByteString bytes) => long.Parse(Parse(bytes)["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    public static ReadOptions Local => new() { Mode = ReadMode.Local };
}
