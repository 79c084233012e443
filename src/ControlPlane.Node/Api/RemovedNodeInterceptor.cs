using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Replication;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>
/// Once this node was removed from the cluster its data stops advancing, so it refuses client traffic with
/// UNAVAILABLE: the request itself is fine and another member can serve it, which is exactly what clients (the SDK,
/// any gRPC retry policy) fail over on. Status, health, reflection, a local member list and removal notices stay
/// open, so an operator can still see what happened.
/// </summary>
public sealed class RemovedNodeInterceptor(RaftNode node) : AdmissionInterceptor
{
    private static readonly string[] OpenPrefixes =
    [
        "/controlplane.v1.ClusterService/",
        "/grpc.health.v1.Health/",
        "/grpc.reflection.",
        "/controlplane.v1.AdminService/NotifyRemoved",
    ];

    protected override void Admit(object? request, ServerCallContext context)
    {
        if (node.Removal is not { } removal) return;
        if (request is ListMembersRequest { Local: true }) return;
        foreach (var prefix in OpenPrefixes)
        {
            if (context.Method.StartsWith(prefix, StringComparison.Ordinal)) return;
        }

        throw new ControlPlaneException(ErrorCode.Unavailable, $"this node was removed from the cluster ({removal.Describe()}); it serves no clients: use another member");
    }
}
