using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Cli.Tests;

public sealed class CertsCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cp-certs-" + Guid.NewGuid().ToString("N"));
    private readonly CliHarness _cli = new();

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Create_WritesACaAndAMemberCertificateThatChainsToIt_NamingTheHosts_WithPrivateKeys()
    {
        var run = await _cli.RunAsync($"certs create --out {_directory} --host 127.0.0.1 --host node1.example node1 node2");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var file in new[] { "ca.crt", "ca.key", "node1.crt", "node1.key", "node2.crt", "node2.key" }) Assert.Contains(Path.Combine(_directory, file), run.Out, StringComparison.Ordinal);
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(_directory, "ca.crt"), Path.Combine(_directory, "ca.key"));
        using var node = X509Certificate2.CreateFromPemFile(Path.Combine(_directory, "node1.crt"), Path.Combine(_directory, "node1.key"));
        Assert.True(node.HasPrivateKey);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _cli.Time.GetUtcNow().UtcDateTime;
        Assert.Equal(_cli.Time.GetUtcNow().AddDays(365).UtcDateTime, node.NotAfter.ToUniversalTime());
        Assert.True(chain.Build(node), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(node.MatchesHostname("127.0.0.1"));
        Assert.True(node.MatchesHostname("node1.example"));
        Assert.False(node.MatchesHostname("elsewhere.example"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "node1.key")));
    }

    [Fact]
    public async Task Create_IntoADirectoryThatHoldsACa_OverwritesNothing()
    {
        Assert.Equal(0, (await _cli.RunAsync($"certs create --out {_directory} node1")).ExitCode);
        var before = await File.ReadAllTextAsync(Path.Combine(_directory, "ca.key"));

        var again = await _cli.RunAsync($"certs create --out {_directory} node1 node2");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_directory, "ca.key")));
        Assert.False(File.Exists(Path.Combine(_directory, "node2.crt")));
    }

    [Theory]
    [InlineData("certs create --out DIR bad/name", "member name")]
    [InlineData("certs create --out DIR --days 0 node1", "--days 0")]
    public async Task Create_BadArguments_AreUsageErrors(string commandLine, string expected)
    {
        var run = await _cli.RunAsync(commandLine.Replace("DIR", _directory, StringComparison.Ordinal));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory));
    }
}
