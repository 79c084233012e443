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
    public void ToIdentity_WithTls_WantsHttpsGrpcEndpoints_AndAnyAddressOnlyWithTokensToo()
    {
        var tls = Tls();
        var http = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(Node("http://10.0.0.1:7101", "10.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), tls, authenticated: true));
        Assert.Contains("is not an https://host:port URL (TLS is on)", http.Message, StringComparison.Ordinal);

        // TLS without client authentication is still open to anyone who reaches the port: loopback only.
        var open = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(Node("https://10.0.0.1:7101", "10.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), tls, authenticated: false));
        Assert.Contains("binds to loopback only, but the gRPC endpoint is https://10.0.0.1:7101", open.Message, StringComparison.Ordinal);
        Assert.Contains("binds to loopback only, but the Raft listen endpoint is 10.0.0.1:7201", open.Message, StringComparison.Ordinal);

        var identity = NodeConfiguration.ToIdentity(Node("https://10.0.0.1:7101", "10.0.0.1:7201"), new ClusterOptions(), new StorageOptions(), tls, authenticated: true);
        Assert.Same(tls, identity.RaftTls);
    }

    [Fact]
    public void ToIdentity_ByDefault_RefusesToRunWithoutTlsAndTokens_NamingTheDevelopmentSwitch()
    {
        var node = new NodeOptions { Name = "node1", DataDirectory = Path.Combine(_directory, "data"), RaftEndpoint = "127.0.0.1:7201", GrpcEndpoint = "http://127.0.0.1:7101", AdminEndpoint = "http://127.0.0.1:7301" };

        Assert.False(node.Insecure);
        var e = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(node, new ClusterOptions(), new StorageOptions()));
        Assert.Contains("Insecure is false (the default)", e.Message, StringComparison.Ordinal);
        Assert.Contains("for local development on loopback set ControlPlane:Node:Insecure=true", e.Message, StringComparison.Ordinal);

        node.Insecure = true;
        Assert.Equal("node1", NodeConfiguration.ToIdentity(node, new ClusterOptions(), new StorageOptions()).Name);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ToIdentity_InsecureFalse_NeedsTlsAndTokens(bool withTls, bool authenticated)
    {
        var node = Node(withTls ? "https://127.0.0.1:7101" : "http://127.0.0.1:7101", "127.0.0.1:7201");
        node.Insecure = false;

        var e = Assert.Throws<InvalidOperationException>(() => NodeConfiguration.ToIdentity(node, new ClusterOptions(), new StorageOptions(), withTls ? Tls() : null, authenticated));
        Assert.Contains("a secure node needs both TLS (ControlPlane:Security:Tls) and client authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_APartialTlsSection_IsRefused_NotPlaintext()
    {
        var ours = Create("ours", "node1");
        var options = new TlsOptions { KeyFile = Path.Combine(ours, "node1.key"), CaFile = Path.Combine(ours, "ca.crt") };

        Assert.True(options.Enabled);
        var e = Assert.Throws<InvalidDataException>(() => TlsMaterial.Load(options));
        Assert.Contains("ControlPlane:Security:Tls:CertificateFile is not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidatePeer_RefusesACertificateOfTheSameCaNotMeantForClientAuthentication()
    {
        var ours = Create("ours", "node1");
        var material = TlsMaterial.Load(Options(ours, "node1"));
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(ours, "ca.crt"), Path.Combine(ours, "ca.key"));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=web", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        // Within the CA's own validity: "now + 1 day" taken a second after the CA's was later than the CA's NotAfter.
        using var webServer = request.Create(ca, new DateTimeOffset(ca.NotBefore), new DateTimeOffset(ca.NotAfter), [1, 2, 3, 4]);

        Assert.False(material.ValidatePeer(this, webServer, null, System.Net.Security.SslPolicyErrors.None));
    }

    private RaftTls Tls()
    {
        var material = TlsMaterial.Load(Options(Create("tls-" + Guid.NewGuid().ToString("N")[..6], "node1"), "node1"));
        return new RaftTls(material.Certificate, material.ValidatePeer);
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
        Insecure = true,
        Name = "node1",
        DataDirectory = Path.Combine(_directory, "data"),
        RaftEndpoint = raft,
        GrpcEndpoint = grpc,
        AdminEndpoint = "http://127.0.0.1:7301",
    };
}
