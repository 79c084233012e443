using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Replication;

/// <summary>
/// Mutual TLS on the Raft links: each member presents <paramref name="Certificate"/> both as server and as client,
/// and accepts a peer only when <paramref name="ValidatePeer"/> does (the node checks the chain against the cluster's
/// CA), so a process that can reach a Raft port but holds no certificate of this cluster cannot take part.
/// </summary>
public sealed record RaftTls(X509Certificate2 Certificate, RemoteCertificateValidationCallback ValidatePeer);
