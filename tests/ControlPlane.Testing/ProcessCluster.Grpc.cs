using ControlPlane.Contracts.V1;
using Grpc.Net.Client;

namespace ControlPlane.Testing;

/// <summary>gRPC access to the nodes over h2c, through the generated clients of ControlPlane.Contracts.</summary>
public sealed partial class ProcessCluster
{
    private readonly GrpcChannel?[] _channels;
    private readonly List<GrpcChannel> _createdChannels = [];
    private readonly Lock _channelGate = new();

    /// <summary>A new channel to node <paramref name="index"/>; the cluster disposes it on dispose.</summary>
    public GrpcChannel CreateChannel(int index)
    {
        var endpoint = GrpcEndpoint(index);
        lock (_channelGate)
        {
            return NewChannelUnlocked(endpoint);
        }
    }

    /// <summary>A ResourceService client of node <paramref name="index"/>, over one channel per node shared by these factories.</summary>
    public ResourceService.ResourceServiceClient CreateResourceClient(int index) => new(SharedChannel(index));

    /// <summary>A ClusterService client of node <paramref name="index"/>, over one channel per node shared by these factories.</summary>
    public ClusterService.ClusterServiceClient CreateClusterClient(int index) => new(SharedChannel(index));

    /// <summary>An AdminService client of node <paramref name="index"/>, over one channel per node shared by these factories.</summary>
    public AdminService.AdminServiceClient CreateAdminClient(int index) => new(SharedChannel(index));

    private GrpcChannel SharedChannel(int index)
    {
        Node(index);
        lock (_channelGate)
        {
            return _channels[index] ??= NewChannelUnlocked(GrpcEndpoint(index));
        }
    }

    private GrpcChannel NewChannelUnlocked(Uri endpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            DisposeHttpClient = true,
        });
        _createdChannels.Add(channel);
        return channel;
    }

    private void DisposeClients()
    {
        lock (_channelGate)
        {
            foreach (var channel in _createdChannels)
            {
                channel.Dispose();
            }

            _createdChannels.Clear();
        }

        _http.Dispose();
    }
}
