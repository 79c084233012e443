using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using Grpc.Net.Client;

namespace ControlPlane.Node.Api;

/// <summary>One reusable gRPC channel per peer endpoint, for forwarding writes and gathering status.</summary>
public sealed class PeerChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public ResourceService.ResourceServiceClient Resources(string endpoint) => new(Channel(endpoint));

    public ClusterService.ClusterServiceClient Cluster(string endpoint) => new(Channel(endpoint));

    public AdminService.AdminServiceClient Admin(string endpoint) => new(Channel(endpoint));

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private GrpcChannel Channel(string endpoint) => _channels.GetOrAdd(endpoint, static e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        },
        MaxReceiveMessageSize = 64 << 20,
    }));
}
