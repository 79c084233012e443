using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>A three-node cluster whose members read one token file: authentication and roles are on.</summary>
public sealed class TokenClusterFixture : IAsyncLifetime
{
    public const string MemberToken = "member-token-0123456789abcdef";
    public const string ReaderToken = "reader-token-0123456789abcdef";
    public const string WriterToken = "writer-token-0123456789abcdef";
    public const string StatusWriterToken = "status-token-0123456789abcdef";
    public const string AdminToken = "admin-token-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("cp-tokens-").FullName;

    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var tokenFile = Path.Combine(_directory, "tokens.csv");
        await TokenFiles.WriteAsync(tokenFile,
        [
            "# token,principal,role",
            $"{MemberToken},system:member,member",
            $"{ReaderToken},rita,reader",
            // The writer's token is given as its hash: the file need not hold client tokens in clear.
            $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WriterToken)))},wanda,writer",
            $"{StatusWriterToken},stan,status-writer",
            $"{AdminToken},ada,admin",
        ]);
        Cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "tokens",
            Configure = node => node.Settings["ControlPlane:Security:TokenFile"] = tokenFile,
        });
        await Cluster.WaitForLeaderAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
