using ControlPlane.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static ControlPlane.Client.Tests.FakeWatch;

namespace ControlPlane.Client.Tests.Watch;

public sealed class WatchTests
{
    private const string A = "http://127.0.0.1:7101";
    private const string B = "http://127.0.0.1:7102";
    private const string C = "http://127.0.0.1:7103";
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(10);

    private readonly FakeCluster _cluster = new();

    [Fact]
    public async Task StreamBreaks_ResumesOnNextMemberFromLastPosition_WithoutRepeatingOrSkipping()
    {
        var streams = new Queue<FakeWatch>([
            new FakeWatch().Send(Event(5, EventType.Added, "a"), Event(6, EventType.Modified, "a", previousRv: 5)).Fail(Unavailable()),
            // The next member replays what the first one already delivered, then goes on.
            new FakeWatch().Send(Event(6, EventType.Modified, "a", previousRv: 5), Event(7, EventType.Deleted, "a", previousRv: 6)),
        ]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "3" }), 3);

        Assert.Equal(["5", "6", "7"], batches.Select(b => b.ResourceVersion));
        Assert.Equal([A, A, B], batches.Select(b => b.Endpoint));
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], batches.Select(b => b.Events.Single().Type));
        var requests = WatchRequests();
        Assert.Equal(["3", "6"], requests.Select(r => r.ResourceVersion));
        Assert.Equal([A, B], _cluster.Calls.Select(c => c.Endpoint));
        Assert.All(requests, r => Assert.True(r.AllowBookmarks, "the client always asks for bookmarks, to know its position"));
        Assert.All(requests, r => Assert.False(r.OmitPreviousObject, "previous objects come unless the request omits them"));
        Assert.All(requests, r => Assert.False(r.CoalesceCommits, "one batch per commit unless the request coalesces"));
    }

    [Fact]
    public async Task OmitPreviousObject_IsAskedOfEveryMemberTheWatchResumesOn()
    {
        var streams = new Queue<FakeWatch>([
            new FakeWatch().Send(Event(5, EventType.Added, "a")).Fail(Unavailable()),
            new FakeWatch().Send(Event(6, EventType.Modified, "a")),
        ]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "3", OmitPreviousObject = true }), 2);

        Assert.Equal(["5", "6"], batches.Select(b => b.ResourceVersion));
        Assert.Null(batches[1].Events.Single().PreviousObject);
        Assert.Equal([(true, "3"), (true, "5")], WatchRequests().Select(r => (r.OmitPreviousObject, r.ResourceVersion)));
    }

    [Fact]
    public async Task CoalescedCommits_ComeAsOneBatchAtTheLastCommit_AndAResumeStartsAfterIt()
    {
        var coalesced = Event(6, EventType.Modified, "a", previousRv: 5);
        coalesced.Events.Insert(0, Event(5, EventType.Added, "b").Events[0]);
        var streams = new Queue<FakeWatch>([
            new FakeWatch().Send(coalesced).Fail(Unavailable()),
            // The next member replays commit 6, which the coalesced batch already delivered.
            new FakeWatch().Send(Event(6, EventType.Modified, "a", previousRv: 5), Event(7, EventType.Added, "c")),
        ]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "3", CoalesceCommits = true }), 2);

        Assert.Equal(["6", "7"], batches.Select(b => b.ResourceVersion));
        Assert.Equal(["b@5", "a@6"], batches[0].Events.Select(e => $"{e.Name}@{e.ObjectResourceVersion}"));
        Assert.Equal([(true, "3"), (true, "6")], WatchRequests().Select(r => (r.CoalesceCommits, r.ResourceVersion)));
    }

    [Fact]
    public async Task EventObjectThatIsNotJson_IsDeliveredAsBytes_AndReadingItNamesTheMemberAndTheCommit()
    {
        var broken = Event(5, EventType.Added, "a");
        broken.Events[0].Object = Google.Protobuf.ByteString.CopyFromUtf8("{not json");
        _cluster.WatchHandler = _ => new FakeWatch().Send(broken, Event(6, EventType.Added, "b"));
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "3" }), 2);

        // Objects are parsed on first access: the batch arrives, and the next one with it.
        var e = batches[0].Events.Single();
        Assert.Equal("{not json", System.Text.Encoding.UTF8.GetString(e.RawObject.Span));
        var error = Assert.Throws<ControlPlaneClientException>(() => e.Object);
        Assert.Equal(ErrorReason.Internal, error.Reason);
        Assert.StartsWith($"{A} watch event at 5: the server answered malformed JSON", error.Message);
        Assert.Equal("b", batches[1].Events.Single().Name);
    }

    [Theory]
    [InlineData(false, new[] { "5", "10" })]
    [InlineData(true, new[] { "3", "5", "9", "10" })]
    public async Task Bookmark_AdvancesTheResumePosition_AndReachesTheCallerOnlyWhenAllowed(bool allowBookmarks, string[] expected)
    {
        var streams = new Queue<FakeWatch>([
            new FakeWatch().Send(Bookmark(3), Event(5, EventType.Added, "a"), Bookmark(9)).Fail(Unavailable()),
            // The resumed member's first bookmark is at the position already reached: not shown again.
            new FakeWatch().Send(Bookmark(9), Event(10, EventType.Modified, "a", previousRv: 5)),
        ]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { AllowBookmarks = allowBookmarks }), expected.Length);

        Assert.Equal(expected, batches.Select(b => b.ResourceVersion));
        Assert.All(batches, b => Assert.Equal(b.IsBookmark, b.Events.Count == 0));
        Assert.Equal(["", "9"], WatchRequests().Select(r => r.ResourceVersion));
    }

    [Fact]
    public async Task ExpiredPosition_ThrowsExpiredWithTheOldestRetainedPosition_WithoutFailingOver()
    {
        _cluster.WatchHandler = _ => Failing(FakeCluster.Failure(StatusCode.OutOfRange, "resourceVersion 3 is older than 40",
            ("cp-error-reason", "Expired"), ("cp-oldest-resource-version", "40")));
        using var client = NewClient();

        var error = await Assert.ThrowsAsync<ExpiredException>(() => TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "3" }), 1));

        Assert.Equal("40", error.OldestResourceVersion);
        Assert.Single(_cluster.Calls);
    }

    [Fact]
    public async Task ExpiredAfterEvents_ThrowsExpired_AfterDeliveringThem()
    {
        _cluster.WatchHandler = _ => new FakeWatch().Send(Event(5, EventType.Added, "a"))
            .Fail(FakeCluster.Failure(StatusCode.OutOfRange, "installed a snapshot", ("cp-error-reason", "Expired"), ("cp-oldest-resource-version", "90")));
        using var client = NewClient();
        var delivered = new List<string>();

        var error = await Assert.ThrowsAsync<ExpiredException>(async () =>
        {
            await foreach (var batch in client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "0" })) delivered.Add(batch.ResourceVersion);
        });

        Assert.Equal(["5"], delivered);
        Assert.Equal("90", error.OldestResourceVersion);
    }

    [Fact]
    public async Task ResourceExhausted_ResumesOnTheSameMemberFromLastPosition()
    {
        var streams = new Queue<FakeWatch>([
            new FakeWatch().Send(Event(5, EventType.Added, "a")).Fail(FakeCluster.Failure(StatusCode.ResourceExhausted, "the watcher fell behind", ("cp-error-reason", "ResourceExhausted"))),
            new FakeWatch().Send(Event(6, EventType.Modified, "a", previousRv: 5)),
        ]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient();

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "4" }), 2);

        Assert.Equal(["5", "6"], batches.Select(b => b.ResourceVersion));
        Assert.Equal([A, A], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal(["4", "5"], WatchRequests().Select(r => r.ResourceVersion));
    }

    [Fact]
    public async Task InvalidRequest_IsNotRetried()
    {
        _cluster.WatchHandler = _ => Failing(FakeCluster.Failure(StatusCode.InvalidArgument, "label selector \"a in\": ...", ("cp-error-reason", "Invalid")));
        using var client = NewClient();

        await Assert.ThrowsAsync<InvalidException>(() => TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { LabelSelector = "a in" }), 1));

        Assert.Single(_cluster.Calls);
    }

    [Fact]
    public async Task NoMemberAnswers_GivesUpAfterMaxAttemptsInARow_OnEveryMember()
    {
        _cluster.WatchHandler = _ => Failing(Unavailable());
        using var client = NewClient(o => o.MaxAttempts = 3);

        var error = await Assert.ThrowsAsync<UnavailableException>(() => TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal")), 1));

        Assert.Equal(3, error.Attempts);
        Assert.Equal([A, B, C], _cluster.Calls.Select(c => c.Endpoint));
    }

    [Fact]
    public async Task StreamsThatDeliver_DoNotCountAsFailedAttempts()
    {
        // Every stream delivers one event and breaks: with MaxAttempts 2 the watch must still go on.
        var next = 10L;
        _cluster.WatchHandler = _ => new FakeWatch().Send(Event(next++, EventType.Added, "a")).Fail(Unavailable());
        using var client = NewClient(o => o.MaxAttempts = 2);

        var batches = await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "9" }), 5);

        Assert.Equal(["10", "11", "12", "13", "14"], batches.Select(b => b.ResourceVersion));
    }

    [Fact]
    public async Task MemberThatFailsEveryWatchAfterItsFirstBookmark_CountsAsFailedAttempts()
    {
        _cluster.WatchHandler = _ => new FakeWatch().Send(Bookmark(9)).Fail(FakeCluster.Failure(StatusCode.Internal, "watch broke", ("cp-error-reason", "Internal")));
        using var client = NewClient(o => o.MaxAttempts = 3);

        var error = await Assert.ThrowsAsync<ControlPlaneClientException>(() => TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "9" }), 1));

        Assert.Equal((ErrorReason.Internal, 3), (error.Reason, error.Attempts));
        Assert.Equal(3, _cluster.Calls.Count);
    }

    [Fact]
    public async Task SilentMember_IsLeftAfterBookmarkIntervalPlusAttemptTimeout()
    {
        var time = new FakeTimeProvider();
        var silent = new FakeWatch();
        var streams = new Queue<FakeWatch>([silent, new FakeWatch().Send(Event(8, EventType.Added, "a"))]);
        _cluster.WatchHandler = _ => streams.Dequeue();
        using var client = NewClient(o => { o.WatchBookmarkInterval = TimeSpan.FromSeconds(1); o.AttemptTimeout = TimeSpan.FromSeconds(2); }, time);

        var take = TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "7" }), 1);
        await silent.Waiting.WaitAsync(_deadline);
        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Single(_cluster.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var batches = await take.WaitAsync(_deadline);

        Assert.Equal(B, batches.Single().Endpoint);
        Assert.Equal(["7", "7"], WatchRequests().Select(r => r.ResourceVersion));
        Assert.True(silent.Disposed, "the silent member's call must be disposed");
        Assert.Equal(1000, WatchRequests()[0].BookmarkIntervalMs);
    }

    [Fact]
    public async Task CallerHoldingABatchLongerThanTheSilenceBound_KeepsTheStream()
    {
        var time = new FakeTimeProvider();
        var stream = new FakeWatch().Send(Event(8, EventType.Added, "a"));
        _cluster.WatchHandler = _ => stream;
        using var client = NewClient(o => { o.WatchBookmarkInterval = TimeSpan.FromSeconds(1); o.AttemptTimeout = TimeSpan.FromSeconds(2); }, time);
        await using var watch = client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "7" }).GetAsyncEnumerator();

        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(_deadline));
        time.Advance(TimeSpan.FromSeconds(10)); // the caller works on the batch for over three bounds of 3 s
        stream.Send(Event(9, EventType.Modified, "a", previousRv: 8));
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(_deadline));

        Assert.Equal("9", watch.Current.ResourceVersion);
        Assert.Single(_cluster.Calls);
    }

    [Fact]
    public async Task Event_CarriesTheServersBytes_AndParsesThemOnlyWhenAsked()
    {
        var sent = Event(8, EventType.Modified, "a", previousRv: 7);
        _cluster.WatchHandler = _ => new FakeWatch().Send(sent);
        using var client = NewClient();

        var e = (await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "7" }), 1)).Single().Events.Single();

        Assert.True(e.RawObject.Span.SequenceEqual(sent.Events[0].Object.Span), "RawObject must be the bytes the server sent");
        Assert.Equal(("a", "8"), (e.Name, e.ObjectResourceVersion));
        Assert.Same(e.Object, e.Object);
        Assert.Equal("7", WatchEvent.MetadataString(e.PreviousObject!, "resourceVersion"));
    }

    [Fact]
    public void MalformedStartPosition_FailsWhenTheWatchIsMade()
    {
        using var client = NewClient();

        var error = Assert.Throws<ArgumentException>(() => client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { FromResourceVersion = "12a" }));

        Assert.Contains("12a", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cluster.Calls);
    }

    [Fact]
    public async Task Request_CarriesTheFilters()
    {
        _cluster.WatchHandler = _ => new FakeWatch().Send(Event(2, EventType.Added, "a", ns: "team"));
        using var client = NewClient();

        await TakeAsync(client.WatchAsync(new WatchRequest("example.com/v1", "Goal") { Namespace = "team", Name = "a", LabelSelector = "tier=gold" }), 1);

        var request = WatchRequests().Single();
        Assert.Equal(("example.com/v1", "Goal", "team", "a", "tier=gold"), (request.ApiVersion, request.Kind, request.Namespace, request.Name, request.LabelSelector));
    }

    private List<WatchResourcesRequest> WatchRequests() => [.. _cluster.Calls.Select(c => (WatchResourcesRequest)c.Request)];

    private static async Task<List<WatchEventBatch>> TakeAsync(IAsyncEnumerable<WatchEventBatch> watch, int count)
    {
        using var timeout = new CancellationTokenSource(_deadline);
        var batches = new List<WatchEventBatch>();
        await foreach (var batch in watch.WithCancellation(timeout.Token))
        {
            batches.Add(batch);
            if (batches.Count == count) break;
        }

        return batches;
    }

    private static RpcException Unavailable() => FakeCluster.Failure(StatusCode.Unavailable, "connection reset");

    private ControlPlaneClient NewClient(Action<ControlPlaneClientOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ControlPlaneClientOptions { RetryBackoffBase = TimeSpan.Zero };
        options.Endpoints.Add(A);
        options.Endpoints.Add(B);
        options.Endpoints.Add(C);
        configure?.Invoke(options);
        return new ControlPlaneClient(options, _cluster.InvokerFor, time, () => 0.5);
    }
}
