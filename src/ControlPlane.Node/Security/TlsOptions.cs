namespace ControlPlane.Node.Security;

/// <summary>
/// Section ControlPlane:Security:Tls, PEM files (<c>cpctl certs create</c> makes a set). With a certificate the gRPC
/// API is served over HTTPS (the endpoints must be https:// URLs) and the Raft links use mutual TLS; every member's
/// certificate must chain to <see cref="CaFile"/>.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>This member's certificate (PEM).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The cluster's CA certificate(s) (PEM): a peer is accepted only with a certificate issued by it.</summary>
    public string? CaFile { get; set; }

    /// <summary>True when any of the three is set: then all three are required (a typo must not fall back to plaintext).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile) || !string.IsNullOrWhiteSpace(CaFile);
}
