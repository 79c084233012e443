using ControlPlane.Client;
using ControlPlane.Testing;
using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests.Sdk;

/// <summary>SDK clients for a process cluster, each starting at a chosen node and failing over to the others in order.</summary>
internal static class SdkClients
{
    public static ControlPlaneClient Create(ProcessCluster cluster, int preferred, ILogger<ControlPlaneClient>? logger = null)
    {
        var options = new ControlPlaneClientOptions
        {
            // Enough for an election plus a restart; bookmarks often, so watchers reach the end of a workload quickly.
            MaxAttempts = 12,
            CallTimeout = TimeSpan.FromSeconds(45),
            WatchBookmarkInterval = TimeSpan.FromMilliseconds(300),
        };
        for (var i = 0; i < cluster.Count; i++) options.Endpoints.Add(cluster.GrpcEndpoint((preferred + i) % cluster.Count).ToString());
        return new ControlPlaneClient(options, logger);
    }
}
