using Grpc.Net.Client;

namespace ControlPlane.Bench.Targets;

/// <summary>One gRPC channel per endpoint (HTTP/2 cleartext), able to open more connections when a server caps concurrent streams.</summary>
public sealed class Channels : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public Channels(IReadOnlyList<Uri> endpoints)
    {
        if (endpoints.Count == 0) throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        _channels = [.. endpoints.Select(e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            MaxReceiveMessageSize = 256 << 20,
            MaxSendMessageSize = 16 << 20,
        }))];
    }

    public int Count => _channels.Length;

    /// <summary>One client per channel, made by <paramref name="create"/>; pick with <see cref="Pick{T}"/>.</summary>
    public T[] Create<T>(Func<GrpcChannel, T> create) => [.. _channels.Select(create)];

    /// <summary>The item serving simulated client number <paramref name="client"/>, round-robin.</summary>
    public static T Pick<T>(T[] items, int client) => items[(int)((uint)client % (uint)items.Length)];

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
