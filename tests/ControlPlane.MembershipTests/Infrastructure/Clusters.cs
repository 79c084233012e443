using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>Process clusters as these tests run them: 300/600 ms election timeouts, small WAL chunks.</summary>
internal static class Clusters
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static Task<ProcessCluster> StartAsync(int nodes, int joining = 0, string name = "membership", Action<NodeOptions>? configure = null) =>
        ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Nodes = nodes,
            Joining = joining,
            Name = name,
            StartTimeout = Wait,
            WaitTimeout = Wait,
            RequestTimeout = TimeSpan.FromSeconds(5),
            Configure = node =>
            {
                node.LowerElectionTimeoutMs = 300;
                node.UpperElectionTimeoutMs = 600;
                node.Settings["ControlPlane:Raft:WalChunkSizeBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
                configure?.Invoke(node);
            },
        });

    /// <summary>Node <paramref name="index"/>'s own status over gRPC.</summary>
    public static Task<NodeStatus> StatusAsync(this ProcessCluster cluster, int index) =>
        cluster.CreateClusterClient(index).GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync;

    /// <summary>Waits until <paramref name="condition"/> holds, retrying through RPC failures; the message says what was last seen.</summary>
    public static async Task WaitAsync(string expected, TimeSpan timeout, Func<Task<(bool Done, string Seen)>> condition)
    {
        var seen = "nothing yet";
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    var (done, description) = await condition();
                    seen = description;
                    return done;
                }
                catch (RpcException e)
                {
                    seen = $"{e.StatusCode}: {e.Status.Detail}";
                    return false;
                }
            },
            timeout,
            () => $"expected {expected}; last seen: {seen}");
    }
}
