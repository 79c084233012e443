namespace ControlPlane.Client;

/// <summary>Settings of a <see cref="ControlPlaneClient"/>: where the cluster is and how hard to try.</summary>
public sealed class ControlPlaneClientOptions
{
    /// <summary>The endpoints of the local three-node development cluster.</summary>
    public static readonly IReadOnlyList<string> DefaultEndpoints =
        ["http://127.0.0.1:7101", "http://127.0.0.1:7102", "http://127.0.0.1:7103"];

    /// <summary>
    /// The gRPC endpoints of the cluster's members as absolute URLs (<c>http://host:port</c> for HTTP/2 cleartext,
    /// <c>https://host:port</c> for TLS). Calls start at the first and fail over in order. Any member serves every
    /// call: followers forward writes to the leader. Empty means <see cref="DefaultEndpoints"/>. (It starts empty so
    /// that binding it from configuration replaces the default rather than appending to it.)
    /// </summary>
    public IList<string> Endpoints { get; } = new List<string>();

    /// <summary>The endpoints the client uses: <see cref="Endpoints"/>, or <see cref="DefaultEndpoints"/> when that is empty.</summary>
    public IReadOnlyList<string> EffectiveEndpoints => Endpoints.Count > 0 ? [.. Endpoints] : DefaultEndpoints;

    /// <summary>
    /// The deadline of one logical call, retries and backoff included. A call that runs out of time fails with
    /// <see cref="ErrorReason.DeadlineExceeded"/>; for a write that outcome is indeterminate (it may have been applied).
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline of one attempt on one endpoint, so that a paused or cut-off member costs this long, not the whole
    /// <see cref="CallTimeout"/>. An attempt that times out is retried on the next endpoint.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many attempts one call may make in total, across all endpoints (at least 1).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The backoff before the second attempt; it doubles with every further attempt, with jitter.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest backoff between two attempts.</summary>
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for a TCP connection to a member before trying the next one.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a connection may be idle before an HTTP/2 keepalive ping checks that the peer is still there.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for a keepalive ping's answer before the connection is considered dead.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest response the client accepts, in bytes (lists can be large).</summary>
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How long a watch may be idle before the server sends a bookmark. The client always asks for bookmarks, to know
    /// its position even when nothing matches and to notice a silent member: a watch that receives nothing for this long
    /// plus <see cref="AttemptTimeout"/> reconnects. Bookmarks reach the caller only when the request allows them.
    /// </summary>
    public TimeSpan WatchBookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reason recorded with writes whose <see cref="WriteRequestOptions"/> name none.</summary>
    public WriteReason DefaultWriteReason { get; set; } = WriteReason.Operator;

    /// <summary>
    /// The bearer token sent with every call (<c>authorization: Bearer &lt;token&gt;</c>) to a cluster whose nodes
    /// have a token file (ControlPlane:Security:TokenFile); null sends none. Over an http:// endpoint it crosses the
    /// network in clear.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// A PEM file of CA certificates to trust for https:// endpoints besides the system's (the cluster's own CA, from
    /// <c>cpctl certs create</c>); null trusts the system's only. Host names are checked either way.
    /// </summary>
    public string? CaCertificateFile { get; set; }
}
