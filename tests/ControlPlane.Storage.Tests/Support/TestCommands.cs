using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.Storage.Tests.Support;

/// <summary>
/// Builds commands for one namespaced test kind (example.io/v1 Widget in "default"). Each builder takes only
/// what varies most; tests vary the rest with <c>with { ... }</c> on the returned record.
/// </summary>
internal static class TestCommands
{
    public const string ApiVersion = "example.io/v1";
    public const string Kind = "Widget";
    public const string Namespace = "default";

    /// <summary>The leader's clock at the first command (2023-11-14T22:13:20Z).</summary>
    public const long T0 = 1_700_000_000_000;

    public const int Limit = 1024 * 1024;

    public static ResourceKey Key(string name) => new("example.io", "v1", Kind, Namespace, name);

    /// <summary>A Widget object with an optional spec, status and labels, each given as JSON text.</summary>
    public static JsonObject Widget(string name, string? spec = """{"replicas":1}""", string? status = null, string? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace };
        if (labels is not null) metadata["labels"] = JsonNode.Parse(labels);
        var obj = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["metadata"] = metadata };
        if (spec is not null) obj["spec"] = JsonNode.Parse(spec);
        if (status is not null) obj["status"] = JsonNode.Parse(status);
        return obj;
    }

    public static ResourceCommand Put(JsonObject obj, long time = T0) =>
        Command(WriteKind.Put, Key(obj["metadata"]!["name"]!.GetValue<string>()), obj.ToJsonString(), time);

    public static ResourceCommand Patch(string name, string patch, long time = T0) => Command(WriteKind.Patch, Key(name), patch, time);

    public static ResourceCommand Status(string name, string? status, long time = T0) => Command(WriteKind.UpdateStatus, Key(name), status ?? "null", time);

    public static ResourceCommand Delete(string name, long time = T0) => Command(WriteKind.Delete, Key(name), string.Empty, time);

    public static ResourceCommand Command(WriteKind kind, ResourceKey key, string body, long time = T0) => new()
    {
        Kind = kind,
        Key = key,
        Body = Encoding.UTF8.GetBytes(body),
        Uid = $"uid-{key.Name}-{time}",
        TimestampMs = time,
        MaxObjectBytes = Limit,
        Principal = "tester",
    };
}
