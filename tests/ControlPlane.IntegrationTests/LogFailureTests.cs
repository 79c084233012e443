using ControlPlane.Contracts.V1;
using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// A node whose Raft log can no longer be written stops (exit code 70, event 1103) instead of answering from a log
/// it cannot trust, as etcd stops when its WAL cannot be written; the other two go on.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LogFailureTests
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FollowersLogFolderGone_ItExitsWith70_AndTheOthersKeepWriting()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "log-failure",

            Configure = node =>
            {
                // The segmented log's failure, whichever engine the environment asks the rest of the suite to run on.
                node.Settings["ControlPlane:Raft:LogEngine"] = "Segmented";

                // Small segments: soon after the folder is gone, the follower needs a new segment file it cannot
                // create (the open one stays writable on Linux even once its name is deleted).
                node.Settings["ControlPlane:Raft:LogSegmentBytes"] = "4096";
            },
        });
        var leader = await cluster.WaitForLeaderAsync();
        var follower = (leader + 1) % cluster.Count;
        var client = cluster.CreateResourceClient(leader);
        await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("before-the-failure") });
        Directory.Delete(Path.Combine(cluster.DataDirectory(follower), "log"), recursive: true);

        // Each record is a few hundred bytes: twenty writes fill more than one 4 KiB segment.
        for (var i = 0; i < 20; i++)
        {
            await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"after-{i}") });
        }

        var exitCode = await cluster.WaitForExitAsync(follower, ExitBound);
        Assert.True(exitCode is not null, $"{cluster.Nodes[follower].Name} still runs {ExitBound.TotalSeconds:0} s after its log folder was deleted");
        var log = await File.ReadAllTextAsync(cluster.LogPath(follower));
        Assert.True(exitCode == 70, $"exit code {exitCode}, not 70; the node's log:{Environment.NewLine}{log[^Math.Min(log.Length, 6000)..]}");
        Assert.Contains("The Raft log failed", log, StringComparison.Ordinal);

        // Two of three still make a majority: writes go on, and nothing acknowledged before is lost.
        await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("after-the-exit") });
        var listed = await client.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, Namespace = Objects.Namespace });
        Assert.Equal(22, listed.Items.Count);
    }
}
