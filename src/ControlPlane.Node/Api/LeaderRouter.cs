using ControlPlane.Core.Errors;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>
/// Runs an operation where it must run: on the leader directly, or forwarded from a follower to the leader as
/// one call. When leadership moves mid-operation it retries against the new leader until the call's deadline;
/// the operation's request id is what makes that retry safe (the replicated request table for writes, the
/// membership request table and the configuration itself for membership changes).
/// </summary>
public sealed partial class LeaderRouter(RaftNode node, PeerChannels peers, ILogger<LeaderRouter> logger)
{
    /// <summary>Set on a forwarded call: the leader answers it itself or fails, never forwards again.</summary>
    public const string ForwardedHeader = "cp-forwarded-by";

    /// <summary>
    /// Runs <paramref name="onLeader"/> on the leader, bounded by the call's deadline (or
    /// <paramref name="defaultBudget"/>). <paramref name="forward"/> sends the same request to the leader's gRPC
    /// endpoint; <paramref name="header"/> is added to the forwarded call. When the leader runs out of time the call
    /// fails DeadlineExceeded: the outcome is unknown, and with a <paramref name="requestId"/> the message says to
    /// retry with it. Messages are composed only when they are needed: a write passes its parts, not a sentence.
    /// </summary>
    public async Task<TResponse> RunOnLeaderAsync<TResponse>(
        ServerCallContext context,
        string operation,
        TimeSpan defaultBudget,
        Func<CancellationToken, Task<TResponse>> onLeader,
        Func<string, CallOptions, Task<TResponse>> forward,
        (string Key, string Value)? header = null,
        string? requestId = null)
    {
        var cancellationToken = context.CancellationToken;
        var forwarded = IsForwarded(context);
        var deadline = context.Deadline == DateTime.MaxValue ? DateTime.UtcNow + defaultBudget : context.Deadline;
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
                    return await onLeader(budget.Token);
                }
                catch (ControlPlaneException e) when (e.Code == ErrorCode.Unavailable && !forwarded && DateTime.UtcNow < deadline)
                {
                    LogRetry(Describe(operation, requestId), e.Message);
                    continue;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ControlPlaneException(ErrorCode.DeadlineExceeded, requestId is not null
                        ? $"the {operation} was not committed within its deadline; its outcome is unknown, retry with request id {requestId}"
                        : $"{operation} did not finish within the call's deadline; its outcome is unknown: retry with the same request id");
                }
            }

            if (forwarded)
            {
                // One hop only: the follower that forwarded will find the new leader itself.
                var hint = await node.GetLeaderGrpcEndpointAsync(cancellationToken);
                throw new ControlPlaneException(ErrorCode.Unavailable, $"forwarded {Describe(operation, requestId)} reached a node that is no longer the leader") { LeaderHint = hint };
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
            var callHeaders = new Metadata { { ForwardedHeader, node.Identity.Name } };
            if (header is var (key, value)) callHeaders.Add(key, value);
            try
            {
                return await forward(endpoint, new CallOptions(callHeaders, deadline, cancellationToken));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(Describe(operation, requestId), $"forward to {endpoint}: {e.Status.Detail}");
            }
        }
    }

    /// <summary>
    /// Whether a follower forwarded this call. Read from the HTTP request: <see cref="ServerCallContext.RequestHeaders"/>
    /// copies every header into a new collection (names lower-cased) the first time it is read, on every write.
    /// </summary>
    public static bool IsForwarded(ServerCallContext context) => context.GetHttpContext().Request.Headers.ContainsKey(ForwardedHeader);

    private static string Describe(string operation, string? requestId) => requestId is null ? operation : $"{operation} {requestId}";

    /// <summary>The channels forwarded calls use.</summary>
    public PeerChannels Peers => peers;

    /// <summary>The gRPC endpoint clients reach this node at (read per write: no allocation).</summary>
    public string GrpcEndpoint => node.Identity.GrpcEndpoint;

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

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Retrying {Operation}: {Reason}")]
    private partial void LogRetry(string operation, string reason);
}
