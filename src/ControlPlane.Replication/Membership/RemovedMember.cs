using System.Net;

namespace ControlPlane.Replication.Membership;

/// <summary>A member that left the configuration: its name when known, and the configuration entry's index.</summary>
public sealed record RemovedMember(string Name, IPEndPoint RaftEndpoint, long ConfigurationIndex);
