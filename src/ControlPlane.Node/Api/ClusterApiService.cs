using ControlPlane.Contracts.V1;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>Cluster status: this node's own view, and every member's (with its name), gathered with a short deadline each.</summary>
public sealed class ClusterApiService(RaftNode node, NodeStatusProvider status, MemberProber prober) : ClusterService.ClusterServiceBase
{
    public override Task<NodeStatus> GetNodeStatus(GetNodeStatusRequest request, ServerCallContext context) =>
        status.GetAsync(context.CancellationToken);

    public override async Task<GetClusterStatusResponse> GetClusterStatus(GetClusterStatusRequest request, ServerCallContext context)
    {
        var configuration = await node.LoadConfigurationAsync(context.CancellationToken);
        var members = await prober.DescribeAsync(configuration, context.CancellationToken);
        var self = await status.GetAsync(context.CancellationToken);
        var response = new GetClusterStatusResponse
        {
            LeaderRaftEndpoint = node.Cluster.Leader?.EndPoint.ToString() ?? string.Empty,
            LeaderGrpcEndpoint = await status.LeaderGrpcEndpointAsync(context.CancellationToken) ?? string.Empty,
            Term = self.Term,
        };
        response.Members.AddRange(members.OrderBy(m => m.RaftEndpoint, StringComparer.Ordinal).Select(m => new MemberStatus
        {
            Name = m.Name,
            RaftEndpoint = m.RaftEndpoint,
            GrpcEndpoint = m.GrpcEndpoint,
            IsLeader = m.IsLeader,
            Reachable = m.Reachable,
            Status = m.Status,
            Error = m.Error,
        }));
        return response;
    }
}
