using System.Globalization;
using System.Text.Json;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>A node's GET /status answer on its admin endpoint (the node contract).</summary>
public sealed record NodeStatus(
    string Name,
    string RaftEndpoint,
    string GrpcEndpoint,
    string Role,
    long Term,
    string? LeaderRaftEndpoint,
    string? LeaderGrpcEndpoint,
    long LastLogIndex,
    long CommitIndex,
    long AppliedIndex,
    long ObjectCount,
    string StateHash)
{
    public bool IsLeader => Role == "Leader";

    /// <summary>Parses the JSON; a missing or mistyped field is an error naming it, so contract drift shows up plainly.</summary>
    public static NodeStatus Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"/status must be a JSON object, got {root.ValueKind}: {json}");
        }

        return new NodeStatus(
            Text(root, "name"),
            Text(root, "raftEndpoint"),
            Text(root, "grpcEndpoint"),
            Text(root, "role"),
            Number(root, "term"),
            OptionalText(root, "leaderRaftEndpoint"),
            OptionalText(root, "leaderGrpcEndpoint"),
            Number(root, "lastLogIndex"),
            Number(root, "commitIndex"),
            Number(root, "appliedIndex"),
            Number(root, "objectCount"),
            // A hash may be sent as a hex string or a number; either way it is compared as text.
            Field(root, "stateHash").ToString());
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Role} term {Term} leader {LeaderRaftEndpoint ?? "-"} applied {AppliedIndex} hash {StateHash}");

    private static JsonElement Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new FormatException($"/status has no '{name}' field: {root}");

    private static string Text(JsonElement root, string name) =>
        OptionalText(root, name) ?? throw new FormatException($"/status field '{name}' is null: {root}");

    private static string? OptionalText(JsonElement root, string name)
    {
        var value = Field(root, name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new FormatException($"/status field '{name}' must be a string, got {value.ValueKind}"),
        };
    }

    private static long Number(JsonElement root, string name)
    {
        var value = Field(root, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new FormatException($"/status field '{name}' must be an integer, got {value.ValueKind} {value}");
    }
}
