using ControlPlane.Contracts.V1;
using ControlPlane.Node.Api;
using ControlPlane.Replication;
using ControlPlane.Replication.Membership;
using Grpc.Core;

namespace ControlPlane.Node.Hosting;

/// <summary>
/// Catches the removal a node missed: a member that was down when it was removed comes back with a
/// configuration that still holds it, hears from no leader (the others ignore it) and would otherwise sit
/// there serving stale reads. When this node has known no leader and applied nothing for a while, it asks the
/// other members of its configuration; if one that follows a leader has a newer configuration without this
/// node, this node marks itself removed. A member of a cluster that merely lost quorum finds no peer with a
/// leader and does nothing.
/// </summary>
public sealed partial class MembershipWatchdog(RaftNode node, PeerChannels peers, ILogger<MembershipWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var upper = TimeSpan.FromMilliseconds(node.Options.UpperElectionTimeoutMs);
        var quiet = 3 * upper;
        var period = upper > TimeSpan.FromSeconds(1) ? upper : TimeSpan.FromSeconds(1);
        var lastApplied = -1L;
        var quietSince = DateTime.UtcNow;
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (node.IsRemoved) return;
            var applied = node.StateMachine.State.AppliedIndex;
            if (node.Cluster.Leader is not null || applied != lastApplied)
            {
                lastApplied = applied;
                quietSince = DateTime.UtcNow;
                continue;
            }

            if (DateTime.UtcNow - quietSince < quiet) continue;
            try
            {
                await CheckWithPeersAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(e.Message);
            }

            quietSince = DateTime.UtcNow;
        }
    }

    private async Task CheckWithPeersAsync(CancellationToken cancellationToken)
    {
        var configuration = await node.LoadConfigurationAsync(cancellationToken);
        var self = node.Identity.RaftEndpoint;
        if (!configuration.Contains(self)) return; // Not a member yet (joining), or told already.
        foreach (var endpoint in configuration.Members.Where(m => !m.Equals(self)))
        {
            var peer = await node.DescribeAsync(endpoint, cancellationToken);
            if (peer.GrpcEndpoint.Length == 0) continue;
            ListMembersResponse view;
            try
            {
                view = await peers.Admin(peer.GrpcEndpoint).ListMembersAsync(new ListMembersRequest { Local = true }, deadline: DateTime.UtcNow + TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
            }
            catch (RpcException)
            {
                continue;
            }

            if (view.LeaderRaftEndpoint.Length == 0 || view.ConfigurationIndex <= configuration.Index) continue;
            if (view.Members.Any(m => m.RaftEndpoint == self.ToString())) continue;
            await node.MarkRemovedAsync(
                new RemovalMarker(view.ConfigurationIndex, $"{view.AnsweredBy} ({endpoint})", $"found out after a restart: its configuration at index {view.ConfigurationIndex} no longer includes this node, whose own is at {configuration.Index}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                cancellationToken);
            return;
        }
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Debug, Message = "Membership check with peers failed: {Reason}")]
    private partial void LogCheckFailed(string reason);
}
