using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Node.Security;

/// <summary>The member certificate and the cluster CA, loaded once at start; checks the certificates peers present.</summary>
public sealed class TlsMaterial
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly X509Certificate2Collection _authorities;

    private TlsMaterial(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        _authorities = authorities;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Loads the three files; the exception names the setting and the file that is missing or unusable.</summary>
    /// <exception cref="InvalidDataException">
    /// A file is missing or is not PEM, the certificate has no private key, or the key file is not private
    /// (<see cref="SecretFile.RequirePrivate"/>).
    /// </exception>
    public static TlsMaterial Load(TlsOptions options)
    {
        var certificateFile = Require(options.CertificateFile, "CertificateFile");
        var keyFile = Require(options.KeyFile, "KeyFile");
        var caFile = Require(options.CaFile, "CaFile");
        SecretFile.RequirePrivate(keyFile, $"{SecurityOptions.Section}:Tls:KeyFile");
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            if (authorities.Count == 0) throw new InvalidDataException($"{SecurityOptions.Section}:Tls:CaFile {caFile} holds no certificate");
            var material = new TlsMaterial(certificate, authorities);
            if (!material.IsIssuedByTheCluster(certificate))
            {
                throw new InvalidDataException($"{SecurityOptions.Section}:Tls:CertificateFile {certificateFile} was not issued by the CA in {caFile}; the other members would refuse it");
            }

            return material;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidDataException($"{SecurityOptions.Section}:Tls: {certificateFile} / {keyFile}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Accepts a peer's certificate when it chains to the cluster CA and is meant for both server and client
    /// authentication. The host name is not checked: members are reached by IP and the CA vouches for them all, so
    /// the CA must be dedicated to the cluster and its key kept off the members.
    /// </summary>
    public bool ValidatePeer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && IsIssuedByTheCluster(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));

    private bool IsIssuedByTheCluster(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        // A member certificate serves both ends of a connection: both usages, as cpctl certs create writes them.
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthentication));
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthentication));
        return chain.Build(certificate);
    }

    private static string Require(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidDataException($"{SecurityOptions.Section}:Tls:{setting} is not set; TLS needs CertificateFile, KeyFile and CaFile");
        if (!File.Exists(path)) throw new InvalidDataException($"{SecurityOptions.Section}:Tls:{setting} {Path.GetFullPath(path)} does not exist");
        return Path.GetFullPath(path);
    }
}
