using ControlPlane.Cli.Certificates;
using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// A three-node cluster with TLS on every link (gRPC over HTTPS, mutual TLS between members) and tokens, its
/// certificates made by <c>cpctl certs create</c>'s code; a second CA's certificates stand for another cluster.
/// node3 is configured but not started: a test adds it as a member.
/// </summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public const string MemberToken = "tls-member-token-0123456789";
    public const string AdminToken = "tls-admin-token-0123456789";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("cp-tls-").FullName;

    public string CaFile => Path.Combine(Directory, "ours", ClusterCertificates.CaCertificate);

    public string ForeignDirectory => Path.Combine(Directory, "theirs");

    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var ours = Path.Combine(Directory, "ours");
        ClusterCertificates.Create(ours, ["node0", "node1", "node2", "node3"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        ClusterCertificates.Create(ForeignDirectory, ["intruder"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        var tokenFile = Path.Combine(Directory, "tokens.csv");
        await TokenFiles.WriteAsync(tokenFile, [$"{MemberToken},system:member,member", $"{AdminToken},ada,admin"]);
        Cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "tls",
            Joining = 1,
            Configure = node =>
            {
                node.GrpcScheme = Uri.UriSchemeHttps;
                node.Settings["ControlPlane:Security:TokenFile"] = tokenFile;
                node.Settings["ControlPlane:Security:Tls:CertificateFile"] = Path.Combine(ours, node.Name + ".crt");
                node.Settings["ControlPlane:Security:Tls:KeyFile"] = Path.Combine(ours, node.Name + ".key");
                node.Settings["ControlPlane:Security:Tls:CaFile"] = CaFile;
            },
        });
        await Cluster.WaitForLeaderAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
