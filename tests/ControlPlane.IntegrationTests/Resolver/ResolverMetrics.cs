using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>The resolver's runtime metrics on one node, scraped from its admin endpoint's /metrics (Prometheus text).</summary>
/// <param name="Active">1 while the resolver runs on the node (it leads and has listed), else 0.</param>
/// <param name="QueueDepth">Keys queued and waiting for a worker.</param>
/// <param name="Unfinished">Reconciles that ended cancelled, in error or in conflict: none completed its write.</param>
internal sealed record ResolverMetrics(double Active, double QueueDepth, double Unfinished)
{
    private const string Controller = "controller=\"resolver\"";

    public static async Task<ResolverMetrics> ReadAsync(ProcessCluster cluster, int index)
    {
        double active = 0, depth = 0, unfinished = 0;
        foreach (var (series, value) in await cluster.GetMetricsAsync(index))
        {
            if (!series.Contains(Controller, StringComparison.Ordinal)) continue;
            if (series.StartsWith("controlplane_controller_active", StringComparison.Ordinal)) active += value;
            else if (series.StartsWith("controlplane_controller_queue_depth", StringComparison.Ordinal)) depth += value;
            else if (series.StartsWith("controlplane_controller_reconcile_outcomes", StringComparison.Ordinal)
                && (series.Contains("result=\"cancelled\"", StringComparison.Ordinal) || series.Contains("result=\"error\"", StringComparison.Ordinal) || series.Contains("result=\"conflict\"", StringComparison.Ordinal)))
            {
                unfinished += value;
            }
        }

        return new ResolverMetrics(active, depth, unfinished);
    }

    /// <summary>
    /// Waits until the leader's resolver runs and has Goals queued (so its workers are busy and more work waits), and
    /// returns the leader's index and its metrics. Under load an election may move the leader at any time: this is what
    /// makes "the leader is mid-work" true of the node a test then kills or pauses.
    /// </summary>
    public static async Task<(int Leader, ResolverMetrics Metrics)> WaitForBusyLeaderAsync(ProcessCluster cluster, TimeSpan timeout)
    {
        var seen = "nothing yet";
        (int, ResolverMetrics) found = default;
        await Eventually.WaitAsync(
            async () =>
            {
                var leader = await cluster.WaitForLeaderAsync(timeout);
                ResolverMetrics metrics;
                try
                {
                    metrics = await ReadAsync(cluster, leader);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException)
                {
                    seen = $"node{leader}: /metrics failed ({e.Message})";
                    return false;
                }

                seen = $"node{leader}: {metrics}";
                found = (leader, metrics);
                return metrics is { Active: > 0, QueueDepth: > 0 };
            },
            timeout,
            () => $"the leader's resolver running with Goals queued; last seen {seen}");
        return found;
    }
}
