using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using ControlPlane.Replication;
using ControlPlane.Replication.Membership;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>
/// Asks members for their status over gRPC with a short deadline (this node answers for itself without a
/// call), tells removed members they were removed, and describes a configuration's members for the API: with
/// each member's lag behind the leader's commit index and the time since it last answered this node.
/// </summary>
public sealed class MemberProber(RaftNode node, NodeStatusProvider status, PeerChannels peers, TimeProvider time) : IMemberClient
{
    /// <summary>When each member (by Raft endpoint) last answered a status request from this node.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAnswered = new(StringComparer.Ordinal);

    public async Task<MemberProbe> ProbeAsync(ClusterMember member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (found, error) = await GetStatusAsync(member, timeout, cancellationToken);
        return found is null
            ? MemberProbe.Unreachable(error)
            : new MemberProbe
            {
                Reachable = true,
                Name = found.Name,
                RaftEndpoint = found.RaftEndpoint,
                AppliedIndex = found.AppliedIndex,
                LeaderRaftEndpoint = found.LeaderRaftEndpoint,
                Removed = found.Removed,
            };
    }

    public async Task<bool> NotifyRemovedAsync(ClusterMember member, RemovalNotice notice, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var response = await peers.Admin(member.GrpcEndpoint).NotifyRemovedAsync(
                new NotifyRemovedRequest
                {
                    RemovedRaftEndpoint = notice.RemovedRaftEndpoint,
                    ConfigurationIndex = notice.ConfigurationIndex,
                    LeaderName = notice.LeaderName,
                    LeaderRaftEndpoint = notice.LeaderRaftEndpoint,
                    Term = notice.Term,
                },
                deadline: DateTime.UtcNow + timeout,
                cancellationToken: cancellationToken);
            return response.Accepted;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    /// <summary>A member's own status, or why it could not be had.</summary>
    public async Task<(NodeStatus? Status, string Error)> GetStatusAsync(ClusterMember member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = member.RaftEndpoint.ToString();
        if (member.RaftEndpoint.Equals(node.Identity.RaftEndpoint))
        {
            _lastAnswered[key] = time.GetUtcNow();
            return (status.GetLocal(), string.Empty);
        }

        if (member.GrpcEndpoint.Length == 0) return (null, "no known gRPC endpoint");
        try
        {
            var found = await peers.Cluster(member.GrpcEndpoint).GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
            _lastAnswered[key] = time.GetUtcNow();
            return (found, string.Empty);
        }
        catch (RpcException e)
        {
            return (null, $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    /// <summary>Every member of <paramref name="configuration"/>, named, with its status, lag and last contact.</summary>
    public async Task<IReadOnlyList<Member>> DescribeAsync(MemberConfiguration configuration, CancellationToken cancellationToken)
    {
        var members = await Task.WhenAll(configuration.Members.Select(async endpoint =>
            await DescribeAsync(await node.DescribeAsync(endpoint, cancellationToken), cancellationToken)));
        var leaderCommit = members.FirstOrDefault(m => m.IsLeader && m.Status is not null)?.Status!.CommitIndex;
        foreach (var member in members)
        {
            if (leaderCommit is { } commit && member.Status is { } found) member.LagEntries = Math.Max(0, commit - found.AppliedIndex);
        }

        return members;
    }

    /// <summary>The member with these endpoints as the API shows it, asking it for its status.</summary>
    public async Task<Member> DescribeAsync(ClusterMember member, CancellationToken cancellationToken)
    {
        var (found, error) = await GetStatusAsync(member, MembershipManager.ProbeTimeout, cancellationToken);
        var described = new Member
        {
            Name = member.Name.Length > 0 ? member.Name : found?.Name ?? string.Empty,
            RaftEndpoint = member.RaftEndpoint.ToString(),
            GrpcEndpoint = member.GrpcEndpoint,
            IsLeader = member.RaftEndpoint.Equals(node.Cluster.Leader?.EndPoint),
            Reachable = found is not null,
            Status = found,
            Error = error,
        };
        if (_lastAnswered.TryGetValue(described.RaftEndpoint, out var answered))
            described.LastContactMs = Math.Max(0, (long)(time.GetUtcNow() - answered).TotalMilliseconds);
        return described;
    }
}
