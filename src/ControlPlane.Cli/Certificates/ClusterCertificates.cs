using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Cli.Certificates;

/// <summary>
/// A private CA and one certificate per member, as PEM files: what ControlPlane:Security:Tls needs. ECDSA P-256 keys;
/// each member certificate works as a server certificate (gRPC, Raft) and as a client one (mutual TLS between
/// members) and names every host given (IP addresses and DNS names), so clients can check the name they dial.
/// </summary>
public static class ClusterCertificates
{
    public const string CaCertificate = "ca.crt";
    public const string CaKey = "ca.key";

    /// <summary>Writes ca.crt, ca.key and NAME.crt / NAME.key for each member into <paramref name="directory"/>; returns the files written.</summary>
    /// <exception cref="IOException">A file exists already: nothing is overwritten, so a CA is never replaced by accident.</exception>
    public static IReadOnlyList<string> Create(string directory, IReadOnlyList<string> members, IReadOnlyList<string> hosts, TimeSpan validity, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        ArgumentOutOfRangeException.ThrowIfZero(hosts.Count);
        Directory.CreateDirectory(directory);
        var files = new List<string> { Path.Combine(directory, CaCertificate), Path.Combine(directory, CaKey) };
        foreach (var member in members) files.AddRange([Path.Combine(directory, member + ".crt"), Path.Combine(directory, member + ".key")]);
        if (files.FirstOrDefault(File.Exists) is { } existing) throw new IOException($"{existing} exists already; choose another directory (nothing was written)");

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ControlPlane cluster CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        Write(files[0], ca.ExportCertificatePem());
        Write(files[1], caKey.ExportPkcs8PrivateKeyPem());

        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }

        var alternativeNames = names.Build();
        for (var i = 0; i < members.Count; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={members[i]}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            request.CertificateExtensions.Add(alternativeNames);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            var serial = new byte[16];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7f;
            using var certificate = request.Create(ca, now.AddMinutes(-5), now + validity, serial);
            Write(files[2 + (2 * i)], certificate.ExportCertificatePem());
            Write(files[3 + (2 * i)], key.ExportPkcs8PrivateKeyPem());
        }

        return files;
    }

    private static void Write(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = path.EndsWith(".key", StringComparison.Ordinal) ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(pem);
        writer.Write('\n');
    }
}
