using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// SIGTERM of a node with open watches: the streams end at once with UNAVAILABLE "node shutting down" (so an SDK
/// watcher fails over), the process exits long before the host's 30 s shutdown timeout, and nothing is logged as an
/// exception. Before the fix Kestrel waited the full timeout for the streams and then aborted them mid-read.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class WatchShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigterm_WithOpenWatches_EndsThemUnavailableAndExitsCleanly()
    {
        // Well under the host's default 30 s shutdown timeout: a node that waits for its watch streams to time out
        // is SIGKILLed by the harness after this and StopAsync reports false.
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "watch-shutdown",
            Log = output.WriteLine,
            StopTimeout = TimeSpan.FromSeconds(15),
        });
        try
        {
            await ShutDownWithOpenWatchesAsync(cluster);
        }
        catch
        {
            cluster.KeepArtifacts(); // the failure messages point at the node's log
            throw;
        }
    }

    private static async Task ShutDownWithOpenWatchesAsync(ProcessCluster cluster)
    {
        await cluster.WaitForLeaderAsync();
        var resources = cluster.CreateResourceClient(0);
        var start = (await resources.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind })).ResourceVersion;

        // One watch with idle bookmarks (a read is always pending between bookmarks) and one without.
        using var channel = cluster.CreateChannel(0);
        var client = new ResourceService.ResourceServiceClient(channel);
        using var withBookmarks = client.WatchResources(new WatchResourcesRequest
        {
            ApiVersion = Objects.ApiVersion,
            Kind = Objects.Kind,
            ResourceVersion = start,
            AllowBookmarks = true,
            BookmarkIntervalMs = 100,
        });
        using var plain = client.WatchResources(new WatchResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, ResourceVersion = start });
        await resources.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("shutdown-a") });
        using var first = new CancellationTokenSource(_wait);
        await ReadUntilAsync(withBookmarks, m => m.Events.Count > 0, "the bookmarked watch's first event", first.Token);
        await ReadUntilAsync(plain, m => m.Events.Count > 0, "the plain watch's first event", first.Token);

        // Nothing is written after the event: the next message is an idle bookmark, so reads are pending between them.
        await ReadUntilAsync(withBookmarks, m => m.Bookmark, "an idle bookmark after the event", first.Token);

        var exitedOnSigterm = await cluster.StopAsync(0);
        Assert.True(exitedOnSigterm, $"node0 did not exit within 15 s of SIGTERM with two open watches; see {cluster.LogPath(0)}");

        foreach (var (call, name) in new[] { (withBookmarks, "the bookmarked watch"), (plain, "the plain watch") })
        {
            using var end = new CancellationTokenSource(_wait);
            var e = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext(end.Token))
                {
                    // Bookmarks queued before the shutdown may still be in flight.
                }
            });
            Assert.True(e.StatusCode == StatusCode.Unavailable && e.Status.Detail.Contains("node shutting down", StringComparison.Ordinal),
                $"{name} ended with {e.StatusCode} \"{e.Status.Detail}\"; expected UNAVAILABLE \"node shutting down\"");
        }

        // After the SIGTERM: no error or critical log entry, no stack frame, none of the exceptions the old read race threw.
        // (Warnings such as "member unavailable" from the peers' links are expected while the node stops.)
        var log = await File.ReadAllLinesAsync(cluster.LogPath(0));
        var afterSigterm = log.SkipWhile(l => !l.Contains("harness: SIGTERM", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(afterSigterm);
        var bad = afterSigterm.Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal)
            || l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("NotSupportedException", StringComparison.Ordinal)
            || l.Contains("TaskCanceledException", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal)).ToList();
        Assert.True(bad.Count == 0, $"node0's output after SIGTERM carries errors or exception stacks:\n{string.Join('\n', bad.Take(20))}");
    }

    private static async Task ReadUntilAsync(
        AsyncServerStreamingCall<WatchResourcesResponse> call, Func<WatchResourcesResponse, bool> wanted, string what, CancellationToken cancellationToken)
    {
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            if (wanted(call.ResponseStream.Current)) return;
        }

        Assert.Fail($"the stream ended before {what}");
    }
}
