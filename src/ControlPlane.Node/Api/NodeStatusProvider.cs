using System.Reflection;
using ControlPlane.Contracts.V1;
using ControlPlane.Replication;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Node.Api;

/// <summary>This node's view of itself: role, term, log indexes and the state hash.</summary>
public sealed class NodeStatusProvider(RaftNode node)
{
    private static readonly string Version =
        typeof(NodeStatusProvider).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public NodeStatus GetLocal()
    {
        var cluster = node.Cluster;
        var log = node.Log;
        var state = node.StateMachine.State;
        var leader = cluster.Leader;
        var role = node.IsLeader ? NodeRole.Leader
            : cluster.Standby ? NodeRole.Standby
            : leader is not null ? NodeRole.Follower
            : NodeRole.Candidate;
        return new NodeStatus
        {
            Name = node.Identity.Name,
            RaftEndpoint = node.Identity.RaftEndpoint.ToString(),
            GrpcEndpoint = node.Identity.GrpcEndpoint,
            Role = role,
            Term = ((IPersistentState)log).Term,
            LeaderRaftEndpoint = leader?.EndPoint.ToString() ?? string.Empty,
            LastLogIndex = log.LastEntryIndex,
            CommitIndex = log.LastCommittedEntryIndex,
            AppliedIndex = log.LastAppliedIndex,
            ObjectCount = state.ObjectCount,
            StateHash = $"{state.Hash}@{state.AppliedIndex}",
            Version = Version,
            Removed = node.IsRemoved,
        };
    }

    public Task<NodeStatus> GetAsync(CancellationToken cancellationToken) => Task.FromResult(GetLocal());

    public async Task<string?> LeaderGrpcEndpointAsync(CancellationToken cancellationToken) =>
        await node.GetLeaderGrpcEndpointAsync(cancellationToken);
}
