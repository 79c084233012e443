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

    /// <summary>
    /// A linearizable get of <paramref name="reference"/> through node <paramref name="index"/>, asked again while the
    /// cluster cannot serve it (see <see cref="UntilServedAsync"/>), for at most <paramref name="timeout"/> (30 s by default).
    /// </summary>
    public Task<GetResourceResponse> GetLinearizableAsync(int index, ResourceRef reference, TimeSpan? timeout = null)
    {
        var client = CreateResourceClient(index);
        return UntilServedAsync(
            () => client.GetResourceAsync(new GetResourceRequest { Ref = reference }, deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync,
            $"a linearizable get of {reference.Name} through {Node(index).Name}",
            timeout);
    }

    /// <summary>
    /// Makes <paramref name="call"/> again while it answers Unavailable or runs out of its deadline (an election under
    /// way, or a new leader whose first entry has not committed yet), for at most <paramref name="timeout"/> (30 s by
    /// default); other errors end it. Give each attempt a deadline of its own.
    /// </summary>
    public static async Task<T> UntilServedAsync<T>(Func<Task<T>> call, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        T? answer = default;
        Grpc.Core.RpcException? last = null;
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    answer = await call();
                    return true;
                }
                catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded)
                {
                    last = e;
                    return false;
                }
            },
            timeout ?? TimeSpan.FromSeconds(30),
            () => $"{what}; last answer: {last?.Status}");
        return answer!;
    }

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
