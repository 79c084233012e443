using System.Text.Json;

namespace ControlPlane.Testing;

/// <summary>A node's answer to GET /status on its admin endpoint.</summary>
public sealed record NodeStatusDto
{
    private static readonly JsonSerializerOptions _web = new(JsonSerializerDefaults.Web);

    public string Name { get; init; } = "";

    public string RaftEndpoint { get; init; } = "";

    public string GrpcEndpoint { get; init; } = "";

    /// <summary>Leader, Follower, Candidate, Standby or Unknown.</summary>
    public string Role { get; init; } = "";

    public long Term { get; init; }

    public string? LeaderRaftEndpoint { get; init; }

    public string? LeaderGrpcEndpoint { get; init; }

    public long LastLogIndex { get; init; }

    public long CommitIndex { get; init; }

    public long AppliedIndex { get; init; }

    public long ObjectCount { get; init; }

    public string? StateHash { get; init; }

    public bool IsLeader => string.Equals(Role, "Leader", StringComparison.Ordinal);

    /// <summary>Parses a /status document; throws <see cref="FormatException"/> naming the problem and the text.</summary>
    public static NodeStatusDto Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<NodeStatusDto>(json, _web)
                ?? throw new FormatException("/status answered JSON null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"/status is not the expected JSON ({e.Message}): {json}", e);
        }
    }

    public override string ToString() =>
        $"{Name}: {Role} term {Term}, leader {LeaderRaftEndpoint ?? "none"}, last {LastLogIndex}, commit {CommitIndex}, applied {AppliedIndex}, objects {ObjectCount}";
}
