using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Client;

/// <summary>The gRPC clients of one endpoint, over one channel (or a test's invoker).</summary>
internal sealed class EndpointConnection(string endpoint, CallInvoker invoker, IDisposable? owner) : IDisposable
{
    public string Endpoint { get; } = endpoint;

    public ResourceService.ResourceServiceClient Resources { get; } = new(invoker);

    public ClusterService.ClusterServiceClient Cluster { get; } = new(invoker);

    public AdminService.AdminServiceClient Admin { get; } = new(invoker);

    public void Dispose() => owner?.Dispose();
}
