using System.Collections.Concurrent;
using System.Net.Security;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace ControlPlane.Node.Api;

/// <summary>
/// One reusable gRPC channel per peer endpoint, for forwarding writes and gathering status. With authentication on,
/// every call carries the members' token (<paramref name="memberToken"/>); with TLS, a peer's certificate is checked
/// by <paramref name="validateServer"/> (issued by the cluster CA).
/// </summary>
public sealed class PeerChannels(string? memberToken = null, RemoteCertificateValidationCallback? validateServer = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, (GrpcChannel Channel, CallInvoker Invoker)> _channels = new(StringComparer.Ordinal);
    private readonly string? _authorization = memberToken is null ? null : "Bearer " + memberToken;

    public ResourceService.ResourceServiceClient Resources(string endpoint) => new(Invoker(endpoint));

    public ClusterService.ClusterServiceClient Cluster(string endpoint) => new(Invoker(endpoint));

    public AdminService.AdminServiceClient Admin(string endpoint) => new(Invoker(endpoint));

    public void Dispose()
    {
        foreach (var (channel, _) in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private CallInvoker Invoker(string endpoint) => _channels.GetOrAdd(endpoint, static (e, state) =>
    {
        var (authorization, validateServer) = state;
        var channel = GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                SslOptions = { RemoteCertificateValidationCallback = validateServer },
            },
            MaxReceiveMessageSize = 64 << 20,
        });
        var invoker = channel.CreateCallInvoker();
        if (authorization is not null)
        {
            // A copy: the caller's headers may be reused for its next attempt.
            invoker = invoker.Intercept(metadata => [new Metadata.Entry("authorization", authorization), .. metadata.Where(e => e.Key != "authorization")]);
        }

        return (channel, invoker);
    }, (_authorization, validateServer)).Invoker;
}
