using System.Net;
using ControlPlane.Replication;

namespace ControlPlane.Node.Configuration;

/// <summary>Validates the options as a whole and turns them into the replication layer's identity.</summary>
public static class NodeConfiguration
{
    /// <param name="node">Who this node is.</param>
    /// <param name="cluster">The initial members.</param>
    /// <param name="storage">Object size limits.</param>
    /// <param name="raftTls">TLS material when ControlPlane:Security:Tls is set: then gRPC endpoints are https:// URLs.</param>
    /// <param name="authenticated">Whether calls are authenticated (a token file). Only with TLS and tokens may the node bind a non-loopback address without AllowInsecureRemote.</param>
    public static NodeIdentity ToIdentity(NodeOptions node, ClusterOptions cluster, StorageOptions storage, RaftTls? raftTls = null, bool authenticated = false)
    {
        var errors = new List<string>();
        var grpcScheme = raftTls is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        var raft = ParseEndpoint(node.RaftEndpoint, "ControlPlane:Node:RaftEndpoint", errors);
        var raftListen = string.IsNullOrEmpty(node.RaftListenEndpoint) ? raft : ParseEndpoint(node.RaftListenEndpoint, "ControlPlane:Node:RaftListenEndpoint", errors);
        CheckUrl(node.GrpcEndpoint, "ControlPlane:Node:GrpcEndpoint", grpcScheme, errors);
        CheckUrl(node.AdminEndpoint, "ControlPlane:Node:AdminEndpoint", Uri.UriSchemeHttp, errors);
        var members = new List<ClusterMember>();
        for (var i = 0; !cluster.Join && i < cluster.InitialMembers.Count; i++)
        {
            var m = cluster.InitialMembers[i];
            var path = $"ControlPlane:Cluster:InitialMembers:{i}";
            var endpoint = ParseEndpoint(m.RaftEndpoint, $"{path}:RaftEndpoint", errors);
            CheckUrl(m.GrpcEndpoint, $"{path}:GrpcEndpoint", grpcScheme, errors);
            if (string.IsNullOrWhiteSpace(m.Name)) errors.Add($"{path}:Name is required");
            if (endpoint is not null) members.Add(new ClusterMember(m.Name, endpoint, m.GrpcEndpoint));
        }

        if (members.Count > 0 && raft is not null && !members.Any(m => m.RaftEndpoint.Equals(raft)))
        {
            errors.Add($"ControlPlane:Cluster:InitialMembers does not include this node's RaftEndpoint {raft}");
        }

        if (members.Select(m => m.RaftEndpoint).Distinct().Count() != members.Count) errors.Add("ControlPlane:Cluster:InitialMembers lists a RaftEndpoint twice");
        var secure = raftTls is not null && authenticated;
        if (!node.Insecure && !secure)
        {
            errors.Add("ControlPlane:Node:Insecure is false (the default), but a secure node needs both TLS (ControlPlane:Security:Tls) and client authentication (ControlPlane:Security:TokenFile); for local development on loopback set ControlPlane:Node:Insecure=true");
        }

        if (!secure && !node.AllowInsecureRemote)
        {
            foreach (var (value, name) in new[] { (node.GrpcListenUrl ?? node.GrpcEndpoint, "gRPC"), (node.AdminListenUrl ?? node.AdminEndpoint, "admin") })
            {
                if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && !IsLoopback(uri.Host))
                {
                    errors.Add($"insecure mode (no TLS, or no client authentication) binds to loopback only, but the {name} endpoint is {value}; set ControlPlane:Node:AllowInsecureRemote=true for a private test network");
                }
            }

            if (raftListen is not null && !IPAddress.IsLoopback(raftListen.Address))
            {
                errors.Add($"insecure mode (no TLS, or no client authentication) binds to loopback only, but the Raft listen endpoint is {raftListen}; set ControlPlane:Node:AllowInsecureRemote=true for a private test network");
            }
        }

        if (errors.Count > 0) throw new InvalidOperationException("invalid configuration:\n  " + string.Join("\n  ", errors));
        return new NodeIdentity
        {
            Name = node.Name,
            RaftEndpoint = raft!,
            RaftListenEndpoint = raftListen!,
            GrpcEndpoint = node.GrpcEndpoint.TrimEnd('/'),
            DataDirectory = Path.GetFullPath(node.DataDirectory),
            InitialMembers = members,
            MaxObjectBytes = storage.MaxObjectBytes,
            RestoreFromSnapshot = string.IsNullOrEmpty(node.RestoreFromSnapshot) ? null : Path.GetFullPath(node.RestoreFromSnapshot),
            RaftTls = raftTls,
        };
    }

    private static IPEndPoint? ParseEndpoint(string? value, string name, List<string> errors)
    {
        if (IPEndPoint.TryParse(value ?? string.Empty, out var endpoint) && endpoint.Port != 0) return endpoint;
        errors.Add($"{name} \"{value}\" is not an IP:port");
        return null;
    }

    private static void CheckUrl(string? value, string name, string scheme, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != scheme || uri.Port <= 0)
        {
            var why = scheme == Uri.UriSchemeHttps ? " (TLS is on)" : name.EndsWith("AdminEndpoint", StringComparison.Ordinal) ? string.Empty : " (TLS is off)";
            errors.Add($"{name} \"{value}\" is not an {scheme}://host:port URL{why}");
        }
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
