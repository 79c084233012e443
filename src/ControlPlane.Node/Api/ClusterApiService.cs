using ControlPlane.Contracts.V1;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>Cluster status: this node's own view, and every member's, gathered with a short deadline each.</summary>
public sealed class ClusterApiService(RaftNode node, NodeStatusProvider status, PeerChannels peers) : ClusterService.ClusterServiceBase
{
    private static readonly TimeSpan PeerDeadline = TimeSpan.FromSeconds(2);

    public override Task<NodeStatus> GetNodeStatus(GetNodeStatusRequest request, ServerCallContext context) =>
        status.GetAsync(context.CancellationToken);

    public override async Task<GetClusterStatusResponse> GetClusterStatus(GetClusterStatusRequest request, ServerCallContext context)
    {
        var members = node.Members;
        var results = await Task.WhenAll(members.Select(m => ProbeAsync(m, context.CancellationToken)));
        var self = await status.GetAsync(context.CancellationToken);
        var response = new GetClusterStatusResponse
        {
            LeaderRaftEndpoint = node.Cluster.Leader?.EndPoint.ToString() ?? string.Empty,
            LeaderGrpcEndpoint = await status.LeaderGrpcEndpointAsync(context.CancellationToken) ?? string.Empty,
            Term = self.Term,
        };
        response.Members.AddRange(results.OrderBy(r => r.RaftEndpoint, StringComparer.Ordinal));
        return response;
    }

    private async Task<MemberStatus> ProbeAsync(DotNext.Net.Cluster.Consensus.Raft.RaftClusterMember member, CancellationToken cancellationToken)
    {
        var result = new MemberStatus { RaftEndpoint = member.EndPoint.ToString(), IsLeader = member.IsLeader };
        try
        {
            var endpoint = await node.GetGrpcEndpointAsync(member, cancellationToken);
            result.GrpcEndpoint = endpoint ?? string.Empty;
            if (!member.IsRemote)
            {
                result.Status = await status.GetAsync(cancellationToken);
            }
            else if (endpoint is null)
            {
                result.Error = "no known gRPC endpoint";
                return result;
            }
            else
            {
                result.Status = await peers.Cluster(endpoint).GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow + PeerDeadline, cancellationToken: cancellationToken);
            }

            result.Reachable = true;
        }
        catch (RpcException e)
        {
            result.Error = $"{e.StatusCode}: {e.Status.Detail}";
        }

        return result;
    }
}
