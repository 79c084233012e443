using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Store;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>
/// Runs a write where it must run: on the leader directly, or forwarded from a follower to the leader as one
/// call. When leadership moves mid-write it retries against the new leader with the same request id, which
/// the replicated request table turns into exactly-once application (P8).
/// </summary>
public sealed partial class WriteCoordinator(RaftNode node, RaftResourceStore store, PeerChannels peers, ILogger<WriteCoordinator> logger)
{
    public const string ForwardedHeader = "cp-forwarded-by";
    public const string PrincipalHeader = "cp-principal";
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(15);

    public async Task<WriteResourceResponse> ExecuteAsync(
        WriteRequest write,
        ServerCallContext context,
        Func<ResourceService.ResourceServiceClient, CallOptions, AsyncUnaryCall<WriteResourceResponse>> forward)
    {
        var cancellationToken = context.CancellationToken;
        var forwarded = context.RequestHeaders.GetValue(ForwardedHeader) is not null;
        var deadline = context.Deadline == DateTime.MaxValue ? DateTime.UtcNow + DefaultBudget : context.Deadline;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt > 0) await BackoffAsync(attempt, deadline, cancellationToken);
            if (node.IsLeader)
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                budget.CancelAfter(Remaining(deadline));
                try
                {
                    return ApiConversions.ToResponse((await store.WriteAsync(write, budget.Token)).EnsureSuccess());
                }
                catch (ControlPlaneException e) when (e.Code == ErrorCode.Unavailable && !forwarded && DateTime.UtcNow < deadline)
                {
                    LogRetry(write.RequestId, e.Message);
                    continue;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ControlPlaneException(ErrorCode.DeadlineExceeded, $"the write was not committed within its deadline; its outcome is unknown, retry with request id {write.RequestId}");
                }
            }

            if (forwarded)
            {
                // One hop only: the follower that forwarded will find the new leader itself.
                var hint = await node.GetLeaderGrpcEndpointAsync(cancellationToken);
                throw new ControlPlaneException(ErrorCode.Unavailable, "forwarded write reached a node that is no longer the leader") { LeaderHint = hint };
            }

            var remaining = deadline - DateTime.UtcNow;
            var leader = remaining > TimeSpan.Zero ? await node.WaitForLeaderAsync(remaining, cancellationToken) : null;
            if (leader is null)
            {
                throw new ControlPlaneException(ErrorCode.Unavailable, "no leader was elected before the deadline; the cluster may have lost quorum");
            }

            if (!leader.IsRemote) continue;
            var endpoint = await node.GetGrpcEndpointAsync(leader, cancellationToken)
                ?? throw new ControlPlaneException(ErrorCode.Unavailable, $"the leader {leader.EndPoint} has no known gRPC endpoint");
            var headers = new Metadata { { ForwardedHeader, node.Identity.Name }, { PrincipalHeader, write.Principal } };
            try
            {
                return await forward(peers.Resources(endpoint), new CallOptions(headers, deadline, cancellationToken));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(write.RequestId, $"forward to {endpoint}: {e.Status.Detail}");
            }
        }
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var remaining = deadline - DateTime.UtcNow;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private static Task BackoffAsync(int attempt, DateTime deadline, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(Math.Min(500, 25 * (1 << Math.Min(attempt, 5))) * (0.5 + Random.Shared.NextDouble()));
        var remaining = Remaining(deadline);
        return Task.Delay(remaining < delay ? remaining : delay, cancellationToken);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Retrying write {RequestId}: {Reason}")]
    private partial void LogRetry(string requestId, string reason);
}
