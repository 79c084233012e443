using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.Testing;

/// <summary>Renders the JSON config file a node is started with (<c>--config</c>), in the shape of cluster-configs/node1.json.</summary>
public static class NodeConfigFile
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>
    /// The config of <paramref name="node"/> seeded with <paramref name="members"/>; with no members it is a node that
    /// stands by until it is added to a running cluster.
    /// </summary>
    public static string Render(NodeOptions node, IReadOnlyList<NodeOptions> members)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count > 0 && !members.Contains(node))
        {
            throw new ArgumentException($"{node.Name} is not one of the members it is rendered with.", nameof(members));
        }

        var initialMembers = new JsonArray();
        foreach (var member in members)
        {
            initialMembers.Add(new JsonObject
            {
                ["Name"] = member.Name,
                ["RaftEndpoint"] = member.RaftEndpoint,
                ["GrpcEndpoint"] = Origin(member.GrpcEndpoint),
            });
        }

        var controlPlane = new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["Name"] = node.Name,
                ["DataDirectory"] = node.DataDirectory,
                ["RaftEndpoint"] = node.RaftEndpoint,
                ["GrpcEndpoint"] = Origin(node.GrpcEndpoint),
                ["AdminEndpoint"] = Origin(node.AdminEndpoint),
                ["Insecure"] = true,
            },
            ["Cluster"] = new JsonObject { ["InitialMembers"] = initialMembers },
            ["Raft"] = new JsonObject
            {
                ["LowerElectionTimeoutMs"] = node.LowerElectionTimeoutMs,
                ["UpperElectionTimeoutMs"] = node.UpperElectionTimeoutMs,
            },
        };

        var storage = new JsonObject();
        if (node.SnapshotThresholdBytes is { } threshold)
        {
            storage["SnapshotThresholdBytes"] = threshold;
        }

        if (node.MaxObjectBytes is { } maxObjectBytes)
        {
            storage["MaxObjectBytes"] = maxObjectBytes;
        }

        if (storage.Count > 0)
        {
            controlPlane["Storage"] = storage;
        }

        return new JsonObject { ["ControlPlane"] = controlPlane }.ToJsonString(_indented);
    }

    /// <summary>"http://127.0.0.1:7101" without the trailing slash <see cref="Uri.ToString"/> adds.</summary>
    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
