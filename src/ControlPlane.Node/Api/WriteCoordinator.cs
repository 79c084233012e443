using ControlPlane.Contracts.V1;
using ControlPlane.Core.Store;
using ControlPlane.Node.Security;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>
/// Runs a write on the leader through <see cref="LeaderRouter"/>: directly when this node leads, else forwarded
/// as one call. A retry after a leader change carries the same request id, which the replicated request table
/// turns into exactly-once application (P8).
/// </summary>
public sealed class WriteCoordinator(RaftResourceStore store, LeaderRouter router, bool authenticated = false)
{
    public const string PrincipalHeader = "cp-principal";
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(15);

    /// <summary>The principal recorded with the call's write: <see cref="CallPrincipal.Anonymous"/> unless calls are authenticated.</summary>
    public string PrincipalOf(ServerCallContext context) => authenticated ? CallPrincipal.Of(context) : CallPrincipal.Anonymous;

    /// <summary>
    /// Runs the write and, on success, names the leader that committed it in the <c>cp-leader-endpoint</c> trailer, so
    /// a client can send its next writes there and skip the forwarding hop.
    /// </summary>
    public async Task<WriteResourceResponse> ExecuteAsync(
        WriteRequest write,
        ServerCallContext context,
        Func<ResourceService.ResourceServiceClient, CallOptions, AsyncUnaryCall<WriteResourceResponse>> forward)
    {
        if (authenticated) CallPrincipal.SetAuditTarget(context, write);
        string? committedBy = null;
        var response = await router.RunOnLeaderAsync(
            context,
            "write",
            DefaultBudget,
            async cancellationToken =>
            {
                var result = ApiConversions.ToResponse((await store.WriteAsync(write, cancellationToken)).EnsureSuccess());
                committedBy = router.GrpcEndpoint;
                return result;
            },
            async (endpoint, options) =>
            {
                var result = await forward(router.Peers.Resources(endpoint), options);
                committedBy = endpoint;
                return result;
            },
            (PrincipalHeader, write.Principal),
            write.RequestId);
        if (committedBy is { Length: > 0 }) context.ResponseTrailers.Add(ErrorMapping.LeaderTrailer, committedBy);
        return response;
    }
}
