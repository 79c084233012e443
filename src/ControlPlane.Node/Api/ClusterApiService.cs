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
        response.Members.AddRange(members.OrderBy(m => m.RaftEndpoint, StringComparer.Ordinal).Select(ToMemberStatus));
        return response;
    }

    private static MemberStatus ToMemberStatus(Member member)
    {
        var status = new MemberStatus
        {
            Name = member.Name,
            RaftEndpoint = member.RaftEndpoint,
            GrpcEndpoint = member.GrpcEndpoint,
            IsLeader = member.IsLeader,
            Reachable = member.Reachable,
            Status = member.Status,
            Error = member.Error,
        };
        if (member.HasLagEntries) status.LagEntries = member.LagEntries;
        if (member.HasLastContactMs) status.LastContactMs = member.LastContactMs;
        return status;
    }
}
