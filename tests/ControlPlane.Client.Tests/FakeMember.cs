using System.Net;
using System.Net.Sockets;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Client.Tests;

/// <summary>
/// A stand-in cluster member on 127.0.0.1 (a free port, HTTP/2 cleartext) serving ResourceService with scripted
/// answers, so the SDK's real transport (channel, trailers, connection failures) can be tested without a cluster.
/// </summary>
internal sealed class FakeMember : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMember(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public Func<ListKindsRequest, ServerCallContext, ListKindsResponse> ListKinds { get; set; } = (_, _) => new ListKindsResponse();

    public Func<CreateResourceRequest, ServerCallContext, WriteResourceResponse> Create { get; set; } =
        (_, _) => throw new RpcException(new Status(StatusCode.Unimplemented, "not scripted"));

    public int Calls;

    public static async Task<FakeMember> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var member = new FakeMember(app, address);
        holder.Member = member;
        return member;
    }

    /// <summary>An endpoint where nothing listens: a port taken from the OS and released.</summary>
    public static string DeadEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class Holder
    {
        public FakeMember? Member { get; set; }
    }

    private sealed class Service(Holder holder) : ResourceService.ResourceServiceBase
    {
        public override Task<ListKindsResponse> ListKinds(ListKindsRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref holder.Member!.Calls);
            return Task.FromResult(holder.Member.ListKinds(request, context));
        }

        public override Task<WriteResourceResponse> CreateResource(CreateResourceRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref holder.Member!.Calls);
            return Task.FromResult(holder.Member.Create(request, context));
        }
    }
}
