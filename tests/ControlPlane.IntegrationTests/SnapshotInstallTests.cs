using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// P10 across snapshot installation: a follower stopped while the leader compacts its log past the follower's last
/// entry must install a snapshot when it returns, then follow the log again, so the replicas converge even though no
/// write arrives after it returns. The state is made a few MiB, so installing it takes longer than a heartbeat.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SnapshotInstallTests(ITestOutputHelper output)
{
    private const int SnapshotThresholdBytes = 64 * 1024;
    private const int Objects = 48;
    private const int PayloadBytes = 96 * 1024;
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task FollowerStoppedPastCompaction_InstallsSnapshotOnRestart_AndConverges()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "snapshot-install",
            Log = output.WriteLine,
            Configure = node => { node.SnapshotThresholdBytes = SnapshotThresholdBytes; },
        });
        try
        {
            var leader = await cluster.WaitForLeaderAsync();
            var follower = (leader + 1) % cluster.Count;
            var before = await cluster.GetStatusAsync(follower);
            Assert.True(await cluster.StopAsync(follower), $"node{follower} did not stop cleanly");

            // Enough commands for several snapshots, all after the follower's last entry: it cannot catch up from the log.
            var client = cluster.CreateResourceClient(leader);
            var payload = new string('x', PayloadBytes);
            for (var i = 0; i < Objects; i++)
            {
                await client.CreateResourceAsync(new CreateResourceRequest { Object = Blob($"blob-{i}", payload) });
            }

            var leaderStatus = await cluster.GetStatusAsync(leader);
            var started = SnapshotIndexes(await File.ReadAllTextAsync(cluster.LogPath(leader))).DefaultIfEmpty(0).Max();
            Assert.True(started > before.AppliedIndex,
                $"the leader started no snapshot past index {before.AppliedIndex} (newest {started}): the follower could catch up from the log, so the test would prove nothing");

            // Snapshots are written beside apply: the log is compacted only once one is on disk, which the leader's
            // snapshot_index gauge reports.
            var compactedTo = 0.0;
            await Eventually.WaitAsync(
                async () =>
                {
                    try
                    {
                        return (compactedTo = await MetricAsync(cluster, leader, "controlplane_raft_snapshot_index")) > before.AppliedIndex;
                    }
                    catch (Exception e) when (e is HttpRequestException or TimeoutException)
                    {
                        return false;
                    }
                },
                _wait,
                () => $"the leader's snapshot on disk stayed at {compactedTo}, not past node{follower}'s applied index {before.AppliedIndex}, though it started one at {started}");
            Assert.True(await MetricAsync(cluster, leader, "controlplane_raft_snapshots_written") >= 1, "the leader counts the snapshots it wrote");
            Assert.Contains(await cluster.GetMetricsAsync(leader), m => m.Series.StartsWith("controlplane_raft_snapshot_write_failures", StringComparison.Ordinal) && m.Value == 0);
            output.WriteLine($"node{follower} stopped at applied {before.AppliedIndex}; leader node{leader} at {leaderStatus.AppliedIndex}, snapshot on disk at {compactedTo}");

            // No write after this point: the follower must converge on the snapshot and the log after it alone.
            await cluster.RestartAsync(follower);
            var seen = "nothing yet";
            await Eventually.WaitAsync(
                async () =>
                {
                    var statuses = new List<NodeStatusDto>();
                    for (var i = 0; i < cluster.Count; i++)
                    {
                        // A member installing a snapshot may answer late: look again.
                        if (await cluster.TryGetStatusAsync(i) is not { } status) return false;
                        statuses.Add(status);
                    }

                    seen = string.Join(", ", statuses.Select(s => $"{s.Name} {s.Role} applied {s.AppliedIndex} hash {s.StateHash}"));
                    return statuses.All(s => s.AppliedIndex >= leaderStatus.AppliedIndex)
                        && statuses.Select(s => (s.AppliedIndex, s.StateHash)).Distinct().Count() == 1
                        && statuses.Count(s => s.IsLeader) == 1
                        && statuses.Count(s => s.Role == "Follower") == cluster.Count - 1;
                },
                _wait,
                () => $"every node at one applied index (at least {leaderStatus.AppliedIndex}) with one state hash, one leader and the rest followers, "
                    + $"after node{follower} returned and installed a snapshot; last seen: {seen}. Logs: {cluster.ArtifactsDirectory}");
            var followerLog = await File.ReadAllTextAsync(cluster.LogPath(follower));
            Assert.True(followerLog.Contains("Restored state from snapshot", StringComparison.Ordinal),
                $"node{follower} caught up without installing a snapshot; see {cluster.LogPath(follower)}");
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }

    private static async Task<double> MetricAsync(ProcessCluster cluster, int node, string name) =>
        (await cluster.GetMetricsAsync(node)).Where(m => m.Series.StartsWith(name, StringComparison.Ordinal)).Sum(m => m.Value);

    private static ByteString Blob(string name, string payload) =>
        ByteString.CopyFromUtf8($$$"""{"apiVersion":"{{{IntegrationTests.Objects.ApiVersion}}}","kind":"{{{IntegrationTests.Objects.Kind}}}","metadata":{"name":"{{{name}}}","namespace":"{{{IntegrationTests.Objects.Namespace}}}"},"spec":{"payload":"{{{payload}}}"}}""");

    private static IEnumerable<long> SnapshotIndexes(string log) =>
        SnapshotTaken().Matches(log).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Taking a snapshot at index (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotTaken();
}
