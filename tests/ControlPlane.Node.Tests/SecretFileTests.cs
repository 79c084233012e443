using ControlPlane.Cli.Certificates;
using ControlPlane.Node.Security;

namespace ControlPlane.Node.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("cp-secret-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644", "other users")]
    [InlineData(Private | UnixFileMode.OtherWrite, "0602", "other users")]
    [InlineData(Private | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, "0660", "its group")]
    public void TokenFile_OpenToOthers_IsRefused_NamingTheFileTheModeAndTheFix(UnixFileMode mode, string octal, string who)
    {
        var path = WriteTokens(mode);

        var e = Assert.Throws<InvalidDataException>(() => TokenTable.Load(path));

        Assert.Equal($"token file {path} is open to {who} (mode {octal}) and holds secrets; make it private: chmod 600 {path}", e.Message);
    }

    [Fact]
    public void TokenFile_Private_IsLoaded_AndGroupReadIsAllowedWithAWarning()
    {
        var owner = WriteTokens(Private);
        Assert.Equal(1, TokenTable.Load(owner).Count);
        Assert.Null(SecretFile.GroupReadWarning(owner, "token file"));

        var shared = WriteTokens(Private | UnixFileMode.GroupRead, "shared.csv");
        Assert.Equal(1, TokenTable.Load(shared).Count);
        Assert.Equal($"token file {shared} is readable by its group (mode 0640); every member of that group can read its secrets", SecretFile.GroupReadWarning(shared, "token file"));
    }

    [Fact]
    public void TlsKeyFile_ReadableByAll_IsRefused_ButTheCertificatesMayBePublic()
    {
        var certs = Path.Combine(_directory, "certs");
        ClusterCertificates.Create(certs, ["node1"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        var options = new TlsOptions { CertificateFile = Path.Combine(certs, "node1.crt"), KeyFile = Path.Combine(certs, "node1.key"), CaFile = Path.Combine(certs, "ca.crt") };
        Assert.NotNull(TlsMaterial.Load(options));

        File.SetUnixFileMode(options.KeyFile, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<InvalidDataException>(() => TlsMaterial.Load(options));

        Assert.Contains($"ControlPlane:Security:Tls:KeyFile {options.KeyFile} is open to other users (mode 0644)", e.Message, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.OtherRead, File.GetUnixFileMode(options.CertificateFile) & UnixFileMode.OtherRead);
    }

    private string WriteTokens(UnixFileMode mode, string name = "tokens.csv")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, ["member-token-0123456789,system:member,member"]);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
