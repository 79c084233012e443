using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Client;
using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// TLS on every link: clients reach the API over HTTPS and must trust the cluster's CA, members forward to each other
/// over HTTPS, and the Raft links take only peers holding a certificate of this cluster's CA.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TlsClusterTests(TlsClusterFixture fixture) : IClassFixture<TlsClusterFixture>
{
    private const int InitialMembers = 3;
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task AWriteThroughAFollower_IsReplicatedOverTls_AndReadableOnEveryMember()
    {
        // node3 may stand by (not yet added by the membership test), naming no leader.
        var leader = await Cluster.WaitForLeaderAsync(excluding: [3]);
        var follower = (leader + 1) % InitialMembers;
        var name = "tls-" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = Client(follower, fixture.CaFile))
        {
            Assert.StartsWith("https://", Cluster.GrpcEndpoint(follower).ToString(), StringComparison.Ordinal);
            await client.CreateAsync(Objects.Parse(Objects.Widget(name)));
        }

        // A linearizable read on a follower asks the leader over Raft: every member answers only with the Raft links up.
        for (var i = 0; i < InitialMembers; i++)
        {
            await using var client = Client(i, fixture.CaFile);
            var read = await client.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, name, ReadConsistency.Linearizable);
            Assert.Equal(name, read.Object["metadata"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AClientThatDoesNotTrustTheClusterCa_CannotConnect_AndWritesNothing()
    {
        var name = "untrusted-" + Guid.NewGuid().ToString("N")[..8];
        await using (var untrusting = Client(0, caFile: null))
        {
            var e = await Assert.ThrowsAsync<ControlPlaneClientException>(() => untrusting.CreateAsync(Objects.Parse(Objects.Widget(name))));
            Assert.Contains("SSL", e.Message, StringComparison.Ordinal);
        }

        await using var trusting = Client(0, fixture.CaFile);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => trusting.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, name));
        Assert.Contains(name, missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a certificate from another CA")]
    [InlineData("no certificate")]
    public async Task TheRaftPort_RefusesAPeerWithoutACertificateOfThisCluster(string presenting)
    {
        X509Certificate2? certificate = presenting == "no certificate" ? null
            : X509Certificate2.CreateFromPemFile(Path.Combine(fixture.ForeignDirectory, "intruder.crt"), Path.Combine(fixture.ForeignDirectory, "intruder.key"));
        var endpoint = System.Net.IPEndPoint.Parse(Cluster.RaftEndpoint(0));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var deadline = new CancellationTokenSource(_wait);

        // TLS 1.3 finishes the client's side before the server checks the client's certificate; the server's refusal
        // then shows as the connection closing. Either way no Raft message can pass.
        var refused = false;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "controlplane-member",
                ClientCertificates = certificate is null ? null : [certificate],
            }, deadline.Token);
            refused = await tls.ReadAsync(new byte[1], deadline.Token) == 0;
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            refused = true;
        }

        Assert.True(refused, $"the Raft port of node0 kept a TLS connection from a peer with {presenting}");
    }

    [Fact]
    public async Task TheRaftPort_SpeaksTls_AndTakesAMemberCertificate()
    {
        var ours = Path.GetDirectoryName(fixture.CaFile)!;
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(ours, "node1.crt"), Path.Combine(ours, "node1.key"));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPEndPoint.Parse(Cluster.RaftEndpoint(0)));
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var deadline = new CancellationTokenSource(_wait);

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "controlplane-member", ClientCertificates = [certificate] }, deadline.Token);

        Assert.True(tls.IsMutuallyAuthenticated);
        Assert.Equal("CN=node0", tls.RemoteCertificate?.Subject);
    }

    [Fact]
    public async Task AMemberAddedThroughAFollower_CatchesUpOverTls_AndServes()
    {
        var name = "before-join-" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = Client(0, fixture.CaFile)) await client.CreateAsync(Objects.Parse(Objects.Widget(name)));
        var leader = await Cluster.WaitForLeaderAsync(excluding: [3]);
        await Cluster.RestartAsync(3);
        var via = (leader + 1) % InitialMembers;
        var joining = Cluster.Nodes[3];
        await using var admin = Client(via, fixture.CaFile);

        // Forwarded to the leader over HTTPS; the leader catches the new member up over mutual TLS, then adds it.
        var added = await admin.AddMemberAsync(joining.Name, joining.RaftEndpoint, joining.GrpcEndpoint.GetLeftPart(UriPartial.Authority));
        Assert.False(added.NothingChanged);

        // The answering member reaches every other over HTTPS with the member token, the new one included.
        var members = await admin.ListMembersAsync();
        Assert.Equal(4, members.Members.Count);
        Assert.All(members.Members, m => Assert.True(m.Reachable, $"{m.Name} is not reachable"));
        await using var newMember = Client(3, fixture.CaFile);
        var read = await newMember.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, name, ReadConsistency.Linearizable);
        Assert.Equal(name, read.Object["metadata"]!["name"]!.GetValue<string>());
    }

    private ControlPlaneClient Client(int node, string? caFile)
    {
        var options = new ControlPlaneClientOptions
        {
            BearerToken = TlsClusterFixture.AdminToken,
            CaCertificateFile = caFile,
            MaxAttempts = 2,
            CallTimeout = TimeSpan.FromSeconds(20),
        };
        options.Endpoints.Add(Cluster.GrpcEndpoint(node).ToString());
        return new ControlPlaneClient(options);
    }
}
