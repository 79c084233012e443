using System.Text.Json.Nodes;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>The test kind: <c>example.com/v1 Widget</c> with <c>spec.value</c>, and what the reconcilers write to status.</summary>
internal static class Widgets
{
    public static readonly ResourceKind Kind = new("example.com", "v1", "Widget");

    public static ResourceKey Key(string name, string @namespace = "default") => new(Kind.Group, Kind.Version, Kind.Kind, @namespace, name);

    public static WriteRequest Put(string name, int value, string @namespace = "default") => new()
    {
        Kind = WriteKind.Put,
        Key = Key(name, @namespace),
        Body = WriteRequest.Json(JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"{{{name}}}","namespace":"{{{@namespace}}}"},"spec":{"value":{{{value}}}}}""")),
    };

    public static int? SpecValue(StoredResource resource) => resource.ToJsonObject()["spec"]?["value"]?.GetValue<int>();

    public static int? ObservedValue(StoredResource? resource) => resource?.ToJsonObject()["status"]?["observedValue"]?.GetValue<int>();
}
