using ControlPlane.Cli.Certificates;
using ControlPlane.Node.Configuration;
using ControlPlane.Node.Security;
using ControlPlane.Replication;

namespace ControlPlane.Node.Tests;

public sealed class TlsConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cp-tls-unit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_AcceptsItsOwnMembers_AndRefusesAnotherClustersCertificate()
    {
        var ours = Create("ours", "node1", "node2");
        var theirs = Create("theirs", "intruder");
        var material = TlsMaterial.Load(Options(ours, "node1"));

        using var peer = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(ours, "node2.crt"), Path.Combine(ours, "node2.key"));
        using var intruder = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(theirs, "intruder.crt"), Path.Combine(theirs, "intruder.key"));
        Assert.True(material.ValidatePeer(this, peer, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(material.ValidatePeer(this, intruder, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(material.ValidatePeer(this, null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void Load_ACertificateOfAnotherCa_StopsTheNode_NamingTheFiles()
    {
        var ours = Create("ours", "node1");
        var theirs = Create("theirs", "intruder");
        var options = new TlsOptions { CertificateFile = Path.Combine(theirs, "intruder.crt"), KeyFile = Path.Combine(theirs, "intruder.key"), CaFile = Path.Combine(ours, "ca.crt") };

        var e = Assert.Throws<InvalidDataException>(() => TlsMaterial.Load(options));
        Assert.Contains("was not issued by the CA in", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KeyFile")]
    [InlineData("CaFile")]
    public void Load_AMissingSetting_IsNamed(string missing)
    {
        var ours = Create("ours", "node1");
        var options = Options(ours, "node1");
        if (missing == "KeyFile") options.KeyFile = null;
        else options.CaFile = Path.Combine(ours, "nope.crt");

        var e = Assert.Throws<InvalidDataException>(() => TlsMaterial.Load(options));
        Assert.Contains($"ControlPlane:Security:Tls:{missing}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToIdentity_WithTls_WantsHttpsGrpcEndpoints_AndNoLongerLoopbackOnly()
    {
        var ours = Create("ours", "node1");
        var material = TlsMaterial.Load(Options(ours, "node1"));
        var tls = new RaftTls(material.Certificate, material.ValidatePeer);

        var http = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(Node("http://10.0.0.1:7101", "10.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), tls));
        Assert.Contains("is not an https://host:port URL (TLS is on)", http.Message, StringComparison.Ordinal);

        var identity = NodeConfiguration.ToIdentity(Node("https://10.0.0.1:7101", "10.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), tls);
        Assert.Same(tls, identity.RaftTls);
    }

    [Fact]
    public void ToIdentity_SecureWithoutTls_IsRefused()
    {
        var node = Node("http://127.0.0.1:7101", "127.0.0.1:7201");
        node.Insecure = false;

        var e = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(node, new ClusterOptions(), new StorageOptions()));
        Assert.Contains("a secure node needs TLS", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not an https", Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(
            Node("http://127.0.0.1:7101", "127.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), new RaftTls(TlsMaterial.Load(Options(Create("x", "n"), "n")).Certificate, (_, _, _, _) => false))).Message, StringComparison.Ordinal);
    }

    private string Create(string name, params string[] members)
    {
        var directory = Path.Combine(_directory, name);
        ClusterCertificates.Create(directory, members, ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        return directory;
    }

    private static TlsOptions Options(string directory, string member) => new()
    {
        CertificateFile = Path.Combine(directory, member + ".crt"),
        KeyFile = Path.Combine(directory, member + ".key"),
        CaFile = Path.Combine(directory, "ca.crt"),
    };

    private NodeOptions Node(string grpc, string raft) => new()
    {
        Name = "node1",
        DataDirectory = Path.Combine(_directory, "data"),
        RaftEndpoint = raft,
        GrpcEndpoint = grpc,
        AdminEndpoint = "http://127.0.0.1:7301",
    };
}
