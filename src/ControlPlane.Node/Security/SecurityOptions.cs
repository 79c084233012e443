namespace ControlPlane.Node.Security;

/// <summary>Section ControlPlane:Security: client and member authentication.</summary>
public sealed class SecurityOptions
{
    public const string Section = "ControlPlane:Security";

    /// <summary>
    /// A token file (<c>token,principal,role</c> per line, see <see cref="TokenTable"/>). When set, every gRPC call
    /// must carry <c>authorization: Bearer &lt;token&gt;</c> and is authorized by the token's role; when empty, calls
    /// are not authenticated (the insecure mode). Every member needs the same file: it holds the members' own token.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>TLS for the gRPC API, the calls between members and (mutual) the Raft links.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>A per-client limit on mutating and admin calls; off by default.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();
}
