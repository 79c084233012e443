using System.Collections.Frozen;
using System.Text;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;
using ControlPlane.Core.Watch;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Watch;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Storage.Tests.Watch;

public sealed class WatchHubTests
{
    private static readonly ResourceKind Widget = new("example.com", "v1", "Widget");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Subscribe_FromPosition_ReplaysHistoryAfterItThenLiveEvents_InOrderOnce()
    {
        var hub = Hub();
        var a1 = Obj("a", 1);
        hub.Publish(new ResourceChange(1, null, a1));
        var a2 = Obj("a", 2);
        hub.Publish(new ResourceChange(2, a1, a2));
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 1 });
        hub.Publish(new ResourceChange(3, a2, null));

        var messages = await Take(watcher, 2);
        Assert.Equal([2L, 3L], messages.Select(m => m.ResourceVersion));
        Assert.Equal(WatchEventType.Modified, messages[0].Events[0].Type);
        Assert.Same(a1, messages[0].Events[0].Previous);
        Assert.Equal(WatchEventType.Deleted, messages[1].Events[0].Type);
        Assert.Same(a2, messages[1].Events[0].Object);
    }

    [Fact]
    public async Task Subscribe_AheadOfThisNode_SkipsChangesUpToTheStartWhenTheyAreApplied()
    {
        // A follower that has applied 1 is asked to watch from 3 (a bookmark or list at 3 seen on another
        // node). When it catches up, 2 and 3 must not be delivered: the start position is exclusive.
        var hub = Hub();
        var a1 = Obj("a", 1);
        hub.Publish(new ResourceChange(1, null, a1));
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 3 });
        Assert.Equal(3, watcher.StartResourceVersion);
        var a2 = Obj("a", 2);
        hub.Publish(new ResourceChange(2, a1, a2));
        var a3 = Obj("a", 3);
        hub.Publish(new ResourceChange(3, a2, a3));
        hub.Publish(new ResourceChange(4, a3, null));
        watcher.RequestBookmark();

        var messages = await Take(watcher, 2);
        Assert.Equal([(4L, false), (4L, true)], messages.Select(m => (m.ResourceVersion, m.IsBookmark)));
        Assert.Equal(WatchEventType.Deleted, messages[0].Events[0].Type);
        Assert.Same(a3, messages[0].Events[0].Previous);
    }

    [Fact]
    public async Task Bookmark_ReachesAnIndexAppliedWithoutAChange()
    {
        // 6 and 7 were a NoOp and a replayed request id: applied, so a list there reports 7, but no event carries
        // them. A watcher waiting for position 7 must get there by a bookmark, not wait for the next change.
        var hub = Hub();
        var a5 = Obj("a", 5);
        hub.Publish(new ResourceChange(5, null, a5));
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 0 });
        hub.NoteApplied(6);
        hub.NoteApplied(7);
        hub.NoteApplied(3);
        watcher.RequestBookmark();

        var messages = await Take(watcher, 2);
        Assert.Equal([(5L, false), (7L, true)], messages.Select(m => (m.ResourceVersion, m.IsBookmark)));
        using var fromNow = hub.Subscribe(new WatchQuery { Kind = Widget });
        Assert.Equal(7, fromNow.StartResourceVersion);
    }

    [Fact]
    public void Subscribe_OlderThanRetainedHistory_FailsExpiredWithOldestPosition()
    {
        var hub = Hub(new WatchHubOptions { HistoryMaxEvents = 2 });
        StoredResource? previous = null;
        for (var rv = 1; rv <= 5; rv++)
        {
            var next = Obj("a", rv);
            hub.Publish(new ResourceChange(rv, previous, next));
            previous = next;
        }

        var e = Assert.Throws<ControlPlaneException>(() => hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 2 }));
        Assert.Equal(ErrorCode.Expired, e.Code);
        Assert.Equal(3, e.OldestRetained);
        Assert.Contains("older than the oldest retained position 3", e.Message, StringComparison.Ordinal);
        using var ok = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 3 });
        Assert.Equal(3, ok.StartResourceVersion);
    }

    [Fact]
    public void History_OlderThanMaxAge_IsNoLongerResumable()
    {
        var hub = Hub(new WatchHubOptions { HistoryMaxAge = TimeSpan.FromMinutes(1) });
        hub.Publish(new ResourceChange(1, null, Obj("a", 1)));
        _time.Advance(TimeSpan.FromMinutes(2));
        var e = Assert.Throws<ControlPlaneException>(() => hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 0 }));
        Assert.Equal(ErrorCode.Expired, e.Code);
    }

    [Fact]
    public async Task SlowWatcher_OverItsBound_EndedWithResourceExhausted_OthersKeepReceiving()
    {
        var hub = Hub(new WatchHubOptions { WatcherMaxQueuedMessages = 10 });
        using var slow = hub.Subscribe(new WatchQuery { Kind = Widget });
        using var fast = hub.Subscribe(new WatchQuery { Kind = Widget });
        var received = 0;
        using var progress = new SemaphoreSlim(0);
        var reader = Task.Run(async () =>
        {
            await foreach (var _ in fast.ReadAllAsync(CancellationToken.None))
            {
                progress.Release();
                if (++received == 50) return;
            }
        });

        // The fast watcher keeps up (it never has more than 5 undelivered); the slow one never reads.
        for (var rv = 1; rv <= 50; rv++)
        {
            hub.Publish(new ResourceChange(rv, null, Obj($"o{rv}", rv)));
            if (rv % 5 != 0) continue;
            for (var i = 0; i < 5; i++) Assert.True(await progress.WaitAsync(TimeSpan.FromSeconds(10)), $"the fast watcher stopped receiving at {received}");
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(50, received);

        var delivered = new List<long>();
        var e = await Assert.ThrowsAsync<ControlPlaneException>(async () =>
        {
            await foreach (var m in slow.ReadAllAsync(CancellationToken.None)) delivered.Add(m.ResourceVersion);
        });
        Assert.Equal(ErrorCode.ResourceExhausted, e.Code);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), delivered);
        Assert.Equal(1, hub.WatcherCount);
    }

    [Fact]
    public async Task Reset_AfterSnapshotInstall_EndsWatchersWithExpired()
    {
        var hub = Hub();
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget });
        hub.Reset(100, "this node installed a snapshot at 100");
        var e = await Assert.ThrowsAsync<ControlPlaneException>(async () => await Take(watcher, 1));
        Assert.Equal(ErrorCode.Expired, e.Code);
        Assert.Contains("re-list", e.Message, StringComparison.Ordinal);
        Assert.Throws<ControlPlaneException>(() => hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 99 }));
    }

    [Fact]
    public async Task Bookmark_QueuedAfterEveryEarlierEvent()
    {
        var hub = Hub();
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget });
        hub.Publish(new ResourceChange(1, null, Obj("a", 1)));
        hub.Publish(new ResourceChange(2, null, Other("b", 2)));
        watcher.RequestBookmark();
        var messages = await Take(watcher, 2);
        Assert.False(messages[0].IsBookmark);
        Assert.True(messages[1].IsBookmark);
        Assert.Equal(2, messages[1].ResourceVersion);
    }

    [Fact]
    public async Task SelectorAndScope_EnterIsAddedLeaveIsDeleted_OtherKindsAndNamespacesIgnored()
    {
        var hub = Hub();
        using var watcher = hub.Subscribe(new WatchQuery { Kind = Widget, Namespace = "default", Selector = LabelSelector.Parse("app=web") });
        var plain = Obj("a", 1);
        var web = Obj("a", 2, ("app", "web"));
        var web2 = Obj("a", 3, ("app", "web"), ("x", "y"));
        var left = Obj("a", 4);
        hub.Publish(new ResourceChange(1, null, plain));
        hub.Publish(new ResourceChange(2, plain, web));
        hub.Publish(new ResourceChange(3, web, web2));
        hub.Publish(new ResourceChange(4, null, Obj("b", 4, "other-ns", ("app", "web"))));
        hub.Publish(new ResourceChange(5, null, Other("c", 5)));
        hub.Publish(new ResourceChange(6, web2, left));
        var messages = await Take(watcher, 3);
        Assert.Equal([(2L, WatchEventType.Added), (3L, WatchEventType.Modified), (6L, WatchEventType.Deleted)], messages.Select(m => (m.ResourceVersion, m.Events[0].Type)));
        Assert.Same(left, messages[2].Events[0].Object);
    }

    [Fact]
    public async Task Publish_WatchersReceivingTheSameEvent_ShareOneMessage_OthersGetTheirOwnShape()
    {
        var hub = Hub();
        var before = Obj("a", 1, ("app", "db"));
        hub.Publish(new ResourceChange(1, null, before));
        using var first = hub.Subscribe(new WatchQuery { Kind = Widget });
        using var second = hub.Subscribe(new WatchQuery { Kind = Widget, Namespace = "default" });
        using var entering = hub.Subscribe(new WatchQuery { Kind = Widget, Selector = LabelSelector.Parse("app=web") });

        hub.Publish(new ResourceChange(2, before, Obj("a", 2, ("app", "web"))));

        var a = (await Take(first, 1))[0];
        var b = (await Take(second, 1))[0];
        var c = (await Take(entering, 1))[0];
        Assert.Same(a, b); // one message for every watcher with the same event: encoded once downstream
        Assert.Equal(WatchEventType.Modified, a.Events[0].Type);
        Assert.NotSame(a, c);
        Assert.Equal(WatchEventType.Added, c.Events[0].Type);
        Assert.Null(c.Events[0].Previous);
    }

    [Fact]
    public async Task OmitPrevious_EventsCarryNoPreviousObject_WatchersAskingForItStillGetIt()
    {
        var hub = Hub();
        var v1 = Obj("a", 1, ("app", "web"));
        hub.Publish(new ResourceChange(1, null, v1));
        using var full = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 1 });
        using var alone = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 1, OmitPrevious = true });
        using var selected = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 1, Selector = LabelSelector.Parse("app=web"), OmitPrevious = true });
        var v2 = Obj("a", 2, ("app", "web"));
        hub.Publish(new ResourceChange(2, v1, v2));
        var v3 = Obj("a", 3);
        hub.Publish(new ResourceChange(3, v2, v3)); // leaves the selector: Deleted carrying the object as it now is
        hub.Publish(new ResourceChange(4, v3, null));

        var withPrevious = await Take(full, 3);
        Assert.Equal([v1, v2, v3], withPrevious.Select(m => m.Events[0].Previous));
        var without = await Take(alone, 3);
        Assert.Equal([(WatchEventType.Modified, v2), (WatchEventType.Modified, v3), (WatchEventType.Deleted, v3)], without.Select(m => (m.Events[0].Type, m.Events[0].Object)));
        Assert.All(without, m => Assert.Null(m.Events[0].Previous));
        var left = await Take(selected, 2);
        Assert.Equal([(WatchEventType.Modified, v2), (WatchEventType.Deleted, v3)], left.Select(m => (m.Events[0].Type, m.Events[0].Object)));
        Assert.All(left, m => Assert.Null(m.Events[0].Previous));
        using var late = hub.Subscribe(new WatchQuery { Kind = Widget, FromResourceVersion = 3, OmitPrevious = true });
        var replayed = (await Take(late, 1))[0].Events[0]; // from history, as live
        Assert.Equal((WatchEventType.Deleted, v3, (StoredResource?)null), (replayed.Type, replayed.Object, replayed.Previous));
    }

    private WatchHub Hub(WatchHubOptions? options = null) => new(options ?? new WatchHubOptions(), _time);

    private static async Task<List<WatchMessage>> Take(IResourceWatcher watcher, int count)
    {
        var result = new List<WatchMessage>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var m in watcher.ReadAllAsync(timeout.Token))
        {
            result.Add(m);
            if (result.Count == count) break;
        }

        return result;
    }

    private static StoredResource Obj(string name, long rv, params (string Key, string Value)[] labels) => Obj(name, rv, "default", labels);

    private static StoredResource Obj(string name, long rv, string ns, params (string Key, string Value)[] labels) =>
        new(new ResourceKey("example.com", "v1", "Widget", ns, name), "uid-" + name, rv, 1, 0,
            labels.ToFrozenDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), Encoding.UTF8.GetBytes($$"""{"rv":{{rv}}}"""));

    private static StoredResource Other(string name, long rv) =>
        new(new ResourceKey("example.com", "v1", "Gadget", "default", name), "uid", rv, 1, 0, FrozenDictionary<string, string>.Empty, "{}"u8.ToArray());
}
