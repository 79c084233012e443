using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Client;

/// <summary>
/// Trusts the certificates a private CA issued (a cluster made with <c>cpctl certs create</c>), as well as those the
/// system trusts. The host name is still checked: a server certificate must name the host the endpoint uses.
/// </summary>
internal sealed class CertificateAuthorityTrust
{
    private readonly X509Certificate2Collection _authorities = [];

    public CertificateAuthorityTrust(string caFile)
    {
        _authorities.ImportFromPemFile(caFile);
        if (_authorities.Count == 0) throw new InvalidDataException($"CaCertificateFile {caFile} holds no certificate");
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
