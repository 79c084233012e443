using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Cli.Certificates;
using ControlPlane.Contracts.V1;
using ControlPlane.Node.Api;
using ControlPlane.Node.Security;
using Grpc.Core;

namespace ControlPlane.Node.Tests;

/// <summary>
/// A member calls another member's gRPC endpoint (forwarding, status probes) only over a TLS connection whose
/// certificate the cluster CA issued: a server presenting another CA's certificate receives not one byte of the request,
/// so never the member token the call would carry.
/// </summary>
public sealed class PeerChannelsTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cp-peer-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("ours", "node2", true)]
    [InlineData("theirs", "intruder", false)]
    public async Task ACallToAPeer_SendsItsRequestOnlyToACertificateOfTheClusterCa(string ca, string member, bool sends)
    {
        ClusterCertificates.Create(Path.Combine(_directory, "ours"), ["node1", "node2"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        ClusterCertificates.Create(Path.Combine(_directory, "theirs"), ["intruder"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        var ours = Path.Combine(_directory, "ours");
        var material = TlsMaterial.Load(new TlsOptions { CertificateFile = Path.Combine(ours, "node1.crt"), KeyFile = Path.Combine(ours, "node1.key"), CaFile = Path.Combine(ours, "ca.crt") });
        using var serverCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(_directory, ca, member + ".crt"), Path.Combine(_directory, ca, member + ".key"));

        // A TLS server that reads what the client sends after the handshake and answers nothing: enough to see whether
        // the request (the HTTP/2 preface, then the call with its headers) was sent to it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var server = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync(stop.Token);
            await using var tls = new SslStream(tcp.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate, ApplicationProtocols = [SslApplicationProtocol.Http2] }, stop.Token);
                var buffer = new byte[24];
                var read = await tls.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, stop.Token);
                return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                return string.Empty;
            }
        });

        using var peers = new PeerChannels("member-token-0123456789", material.ValidatePeer);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await Assert.ThrowsAsync<RpcException>(() => peers.Cluster($"https://127.0.0.1:{port}").GetClusterStatusAsync(new GetClusterStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        var received = await server.WaitAsync(stop.Token);
        if (sends) Assert.StartsWith("PRI * HTTP/2.0", received, StringComparison.Ordinal);
        else Assert.Equal(string.Empty, received);
    }
}
