using System.Globalization;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using static ControlPlane.Client.Tests.FakeWatch;

namespace ControlPlane.Client.Tests.Watch;

public sealed class ResourceInformerTests
{
    private const string A = "http://127.0.0.1:7101";
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(10);

    private readonly FakeCluster _cluster = new();
    private readonly Queue<Func<ListResourcesResponse>> _lists = new();
    private readonly Queue<FakeWatch> _watches = new();

    public ResourceInformerTests()
    {
        _cluster.Handler = call => call.Method == "ListResources"
            ? _lists.Dequeue()()
            : throw new InvalidOperationException($"unexpected {call.Method}");
        // Once the script is used up, the watch stays open and silent until the informer stops.
        _cluster.WatchHandler = _ => _watches.Count > 0 ? _watches.Dequeue() : new FakeWatch();
    }

    [Fact]
    public async Task ListsThenWatches_CacheAndHandlersFollowEveryChange()
    {
        _lists.Enqueue(() => List(4, ("a", 3), ("b", 4)));
        _watches.Enqueue(new FakeWatch().Send(
            Event(5, EventType.Modified, "a", previousRv: 3),
            Bookmark(5),
            Event(6, EventType.Added, "c"),
            Event(7, EventType.Deleted, "b", previousRv: 4),
            Bookmark(9)));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal") { Namespace = "team", LabelSelector = "tier=gold" });
        var seen = Record(informer);
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(_deadline);
        Assert.True(informer.HasSynced);
        await WaitUntilAsync(() => informer.LastSyncResourceVersion == "9", () => $"the informer to reach the bookmark at 9; it is at {informer.LastSyncResourceVersion}");

        Assert.Equal(["Added a@3", "Added b@4", "Updated a@5 (was 3)", "Added c@6", "Deleted b@4"], Snapshot(seen));
        Assert.Equal(["a@5", "c@6"], informer.List().Select(o => $"{Name(o)}@{Rv(o)}"));
        Assert.True(informer.TryGet("team", "c", out var c));
        Assert.Equal("6", Rv(c));
        Assert.False(informer.TryGet("team", "b", out _));
        var list = (ListResourcesRequest)_cluster.Calls.Single(x => x.Method == "ListResources").Request;
        Assert.Equal((0, "team", "tier=gold", ReadMode.Linearizable), (list.Limit, list.Namespace, list.LabelSelector, list.Read.Mode));
        var watch = (WatchResourcesRequest)_cluster.Calls.Single(x => x.Method == "WatchResources").Request;
        Assert.Equal(("4", "team", "tier=gold", true, true), (watch.ResourceVersion, watch.Namespace, watch.LabelSelector, watch.OmitPreviousObject, watch.CoalesceCommits));

        await StopAsync(stop, run);
    }

    [Fact]
    public async Task ExpiredWatch_RelistsAndEmitsTheDifference_ThenWatchesFromTheNewList()
    {
        _lists.Enqueue(() => List(4, ("a", 3), ("b", 4), ("d", 2)));
        _watches.Enqueue(Failing(FakeCluster.Failure(StatusCode.OutOfRange, "too old", ("cp-error-reason", "Expired"), ("cp-oldest-resource-version", "8"))));
        // Meanwhile a changed, b was deleted, c was created; d is unchanged.
        _lists.Enqueue(() => List(10, ("a", 9), ("c", 8), ("d", 2)));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal"));
        var seen = Record(informer);
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await WaitUntilAsync(() => _cluster.Calls.Count(c => c.Method == "WatchResources") == 2, () => $"a second watch after the re-list; calls: {string.Join(", ", _cluster.Calls.Select(c => c.Method))}");

        Assert.Equal(["Added a@3", "Added b@4", "Added d@2", "Deleted b@4", "Updated a@9 (was 3)", "Added c@8"], Snapshot(seen));
        Assert.Equal(["a@9", "c@8", "d@2"], informer.List().Select(o => $"{Name(o)}@{Rv(o)}"));
        Assert.Equal("10", informer.LastSyncResourceVersion);
        Assert.Equal(["4", "10"], _cluster.Calls.Where(c => c.Method == "WatchResources").Select(c => ((WatchResourcesRequest)c.Request).ResourceVersion));

        await StopAsync(stop, run);
    }

    [Fact]
    public async Task WatchGivesUp_ResumesFromTheLastPosition_WithoutRelisting()
    {
        _lists.Enqueue(() => List(4, ("a", 3)));
        _watches.Enqueue(new FakeWatch().Send(Event(6, EventType.Modified, "a", previousRv: 3)).Fail(FakeCluster.Failure(StatusCode.Unavailable, "down")));
        _watches.Enqueue(Failing(FakeCluster.Failure(StatusCode.Unavailable, "still down")));
        _watches.Enqueue(new FakeWatch().Send(Event(7, EventType.Modified, "a", previousRv: 6)));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal") { RetryDelay = TimeSpan.FromMilliseconds(1) });
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await WaitUntilAsync(() => informer.LastSyncResourceVersion == "7", () => $"the informer to reach 7; it is at {informer.LastSyncResourceVersion}");

        Assert.Single(_cluster.Calls, c => c.Method == "ListResources");
        Assert.Equal(["4", "6", "6"], _cluster.Calls.Where(c => c.Method == "WatchResources").Select(c => ((WatchResourcesRequest)c.Request).ResourceVersion));

        await StopAsync(stop, run);
    }

    [Fact]
    public async Task TransientListFailure_IsRetried()
    {
        _lists.Enqueue(() => throw FakeCluster.Failure(StatusCode.Unavailable, "no leader"));
        _lists.Enqueue(() => List(4, ("a", 3)));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal") { RetryDelay = TimeSpan.FromMilliseconds(1) });
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(_deadline);

        Assert.Equal(1, informer.Count);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task InvalidSelector_StopsTheInformer_AndWaitForSyncSaysWhy()
    {
        _lists.Enqueue(() => throw FakeCluster.Failure(StatusCode.InvalidArgument, "label selector \"a in\": expected (", ("cp-error-reason", "Invalid")));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal") { LabelSelector = "a in" });

        var run = informer.RunAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidException>(() => run.WaitAsync(_deadline));
        var error = await Assert.ThrowsAsync<InvalidException>(() => informer.WaitForSyncAsync().WaitAsync(_deadline));
        Assert.Contains("a in", error.Message, StringComparison.Ordinal);
        Assert.False(informer.HasSynced);
    }

    [Fact]
    public async Task HandlerThrows_StopsTheInformerWithThatException()
    {
        _lists.Enqueue(() => List(4, ("a", 3)));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal"));
        informer.AddHandler(_ => throw new InvalidOperationException("handler bug"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => informer.RunAsync(CancellationToken.None).WaitAsync(_deadline));

        Assert.Equal("handler bug", error.Message);
    }

    [Fact]
    public async Task AddHandlerOrRunAgain_AfterRun_Throws()
    {
        _lists.Enqueue(() => List(1));
        using var client = NewClient();
        var informer = new ResourceInformer(client, new ResourceInformerOptions("example.com/v1", "Goal"));
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);

        Assert.Throws<InvalidOperationException>(() => informer.AddHandler(_ => { }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => informer.RunAsync(stop.Token));
        await StopAsync(stop, run);
    }

    private static List<string> Record(ResourceInformer informer)
    {
        var seen = new List<string>();
        informer.AddHandler(e =>
        {
            var text = $"{e.Type} {e.Name}@{Rv(e.Object)}" + (e.OldObject is null ? string.Empty : $" (was {Rv(e.OldObject)})");
            lock (seen) seen.Add(text);
        });
        return seen;
    }

    private static List<string> Snapshot(List<string> seen)
    {
        lock (seen) return [.. seen];
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(_deadline));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> expected)
    {
        using var timeout = new CancellationTokenSource(_deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(5, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"waited {_deadline.TotalSeconds:0}s for {expected()}");
            }
        }
    }

    private static ListResourcesResponse List(long rv, params (string Name, long Rv)[] items)
    {
        var response = new ListResourcesResponse { ResourceVersion = rv.ToString(CultureInfo.InvariantCulture) };
        foreach (var (name, itemRv) in items) response.Items.Add(Goal(name, itemRv));
        return response;
    }

    private static string Name(System.Text.Json.Nodes.JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    private static string Rv(System.Text.Json.Nodes.JsonObject o) => o["metadata"]!["resourceVersion"]!.GetValue<string>();

    private ControlPlaneClient NewClient()
    {
        var options = new ControlPlaneClientOptions { RetryBackoffBase = TimeSpan.Zero, MaxAttempts = 1 };
        options.Endpoints.Add(A);
        return new ControlPlaneClient(options, _cluster.InvokerFor, null, () => 0.5);
    }
}
