using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>The work queue on a fake clock: every delay is driven by the test, none is waited for.</summary>
public sealed class WorkQueueTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Add_SameKeyTwiceBeforeAWorkerTakesIt_HandedOutOnce()
    {
        using var queue = NewQueue();
        Assert.True(queue.Add(Key("a")));
        Assert.False(queue.Add(Key("a")));
        Assert.Equal(1, queue.Count);

        Assert.Equal(Key("a"), await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted, "a key queued twice must be handed out once, but a second Get received something");
        queue.ShutDown();
        Assert.Null(await second.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_NotHandedToAnotherWorkerUntilDone_ThenProcessedOnceMore()
    {
        using var queue = NewQueue();
        queue.Add(Key("a"));
        Assert.Equal(Key("a"), await queue.GetAsync(CancellationToken.None));

        // Re-added three times while a worker holds it: dirty, not ready.
        Assert.True(queue.Add(Key("a")));
        Assert.False(queue.Add(Key("a")));
        Assert.False(queue.Add(Key("a")));
        Assert.Equal(0, queue.Count);
        var other = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(other.IsCompleted, "a second worker received a key that the first one is still processing");

        queue.Done(Key("a"));
        Assert.Equal(Key("a"), await other.WaitAsync(TimeSpan.FromSeconds(10)));
        queue.Done(Key("a"));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Processing);
    }

    [Fact]
    public async Task Get_KeyBeingProcessed_DoesNotBlockOtherKeys_AndOrderIsFifo()
    {
        using var queue = NewQueue();
        queue.Add(Key("a"));
        queue.Add(Key("b"));
        queue.Add(Key("c"));
        Assert.Equal(Key("a"), await queue.GetAsync(CancellationToken.None));
        queue.Add(Key("a"));
        Assert.Equal(Key("b"), await queue.GetAsync(CancellationToken.None));
        Assert.Equal(Key("c"), await queue.GetAsync(CancellationToken.None));
        queue.Done(Key("a"));
        Assert.Equal(Key("a"), await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ManyWorkers_NeverProcessOneKeyConcurrently_AndLoseNoAdd()
    {
        // Real threads, no clock: 4 workers, 8 keys, 4000 adds racing with processing.
        using var queue = new WorkQueue("race", new WorkQueueOptions(), TimeProvider.System);
        var inFlight = new int[8];
        var violations = 0;
        var lastSeenAdd = new long[8];
        var lastProcessedAdd = new long[8];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await queue.GetAsync(stop.Token) is { } key)
            {
                var i = int.Parse(key.Name[1..], System.Globalization.CultureInfo.InvariantCulture);
                if (Interlocked.Increment(ref inFlight[i]) != 1) Interlocked.Increment(ref violations);
                var seen = Volatile.Read(ref lastSeenAdd[i]);
                await Task.Yield();
                Volatile.Write(ref lastProcessedAdd[i], Math.Max(Volatile.Read(ref lastProcessedAdd[i]), seen));
                Interlocked.Decrement(ref inFlight[i]);
                queue.Done(key);
            }
        })).ToArray();

        for (var n = 1; n <= 4000; n++)
        {
            var i = n % 8;
            Volatile.Write(ref lastSeenAdd[i], n);
            queue.Add(Key($"k{i}"));
            if (n % 100 == 0) await Task.Yield();
        }

        // Every add is followed by a processing that saw it: wait for the last add of each key to be processed.
        while (Enumerable.Range(0, 8).Any(i => Volatile.Read(ref lastProcessedAdd[i]) < Volatile.Read(ref lastSeenAdd[i])))
        {
            Assert.False(stop.IsCancellationRequested, $"adds not processed within 60 s: last added {string.Join(",", lastSeenAdd)}, last processed {string.Join(",", lastProcessedAdd)}");
            await Task.Delay(5);
        }

        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, violations);
    }

    [Fact]
    public void AddRateLimited_WithoutJitter_DoublesFromBaseUpToMax()
    {
        using var queue = NewQueue(new WorkQueueOptions { BaseDelay = 100 * Ms, MaxDelay = TimeSpan.FromSeconds(2), Jitter = 0, RetryBurst = 1000 });
        var delays = Enumerable.Range(0, 8).Select(_ => queue.AddRateLimited(Key("a")).TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000], delays);
        Assert.Equal(8, queue.NumRequeues(Key("a")));

        // Another key has its own count; Forget starts this one over.
        Assert.Equal(100 * Ms, queue.AddRateLimited(Key("b")));
        queue.Forget(Key("a"));
        Assert.Equal(0, queue.NumRequeues(Key("a")));
        Assert.Equal(100 * Ms, queue.AddRateLimited(Key("a")));
    }

    [Fact]
    public void AddRateLimited_WithJitter_EachDelayWithinItsBand_AndNotAllAtTheCeiling()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"jitter seed {seed}");
        using var queue = new WorkQueue("jitter", new WorkQueueOptions { BaseDelay = 100 * Ms, MaxDelay = TimeSpan.FromSeconds(10), Jitter = 0.25, RetryBurst = 1000 }, _time, new Random(seed));
        var belowCeiling = 0;
        for (var key = 0; key < 20; key++)
        {
            for (var failure = 0; failure < 10; failure++)
            {
                var ceiling = Math.Min(100 * Math.Pow(2, failure), 10_000);
                var delay = queue.AddRateLimited(Key($"k{key}")).TotalMilliseconds;
                Assert.True(delay > ceiling * 0.75 - 0.001 && delay <= ceiling + 0.001, $"seed {seed}: failure {failure + 1} of k{key} waited {delay} ms, outside ({ceiling * 0.75}, {ceiling}]");
                if (delay < ceiling) belowCeiling++;
            }
        }

        Assert.True(belowCeiling > 100, $"seed {seed}: only {belowCeiling} of 200 delays were jittered below their ceiling");
    }

    [Fact]
    public async Task AddRateLimited_KeyBecomesReadyExactlyWhenItsDelayHasPassed()
    {
        using var queue = NewQueue(new WorkQueueOptions { BaseDelay = 100 * Ms, Jitter = 0 });
        queue.Add(Key("a"));
        await queue.GetAsync(CancellationToken.None);
        Assert.Equal(100 * Ms, queue.AddRateLimited(Key("a")));
        queue.Done(Key("a"));
        Assert.Equal(1, queue.Waiting);

        _time.Advance(99 * Ms);
        Assert.Equal(0, queue.Count);
        _time.Advance(Ms);
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void AddRateLimited_OverallTokenBucket_SpacesRetriesOfDifferentKeysOnceTheBurstIsSpent()
    {
        // Backoff 1 ms for everyone; 10 retries per second with a burst of 3.
        using var queue = NewQueue(new WorkQueueOptions { BaseDelay = Ms, MaxDelay = Ms, Jitter = 0, RetriesPerSecond = 10, RetryBurst = 3 });
        var delays = Enumerable.Range(0, 6).Select(i => Math.Round(queue.AddRateLimited(Key($"k{i}")).TotalMilliseconds)).ToArray();
        Assert.Equal([1, 1, 1, 100, 200, 300], delays);

        // One second refills 10 tokens, capped at the burst, minus the 3 borrowed.
        _time.Advance(TimeSpan.FromSeconds(1));
        delays = [.. Enumerable.Range(6, 4).Select(i => Math.Round(queue.AddRateLimited(Key($"k{i}")).TotalMilliseconds))];
        Assert.Equal([1, 1, 1, 100], delays);
    }

    [Fact]
    public async Task AddAfter_ReadyOnlyAfterTheDelay_AndTheEarlierOfTwoDelaysWins()
    {
        using var queue = NewQueue();
        queue.AddAfter(Key("late-then-early"), TimeSpan.FromSeconds(10));
        queue.AddAfter(Key("late-then-early"), TimeSpan.FromSeconds(2));
        queue.AddAfter(Key("early-then-late"), TimeSpan.FromSeconds(2));
        queue.AddAfter(Key("early-then-late"), TimeSpan.FromSeconds(10));
        queue.AddAfter(Key("now"), TimeSpan.Zero);
        Assert.Equal(1, queue.Count);
        Assert.Equal(2, queue.Waiting);

        _time.Advance(TimeSpan.FromSeconds(2) - Ms);
        Assert.Equal(1, queue.Count);
        _time.Advance(Ms);
        Assert.Equal(3, queue.Count);
        Assert.Equal(0, queue.Waiting);

        // The superseded 10 s entries are stale: they add nothing once their time comes.
        while (queue.Count > 0)
        {
            var key = (await queue.GetAsync(CancellationToken.None))!.Value;
            queue.Done(key);
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task ShutDown_StopsAcceptingDropsQueuedAndWakesGetters_InFlightMayFinish()
    {
        using var queue = NewQueue();
        queue.Add(Key("in-flight"));
        Assert.Equal(Key("in-flight"), await queue.GetAsync(CancellationToken.None));
        queue.Add(Key("queued"));
        queue.Add(Key("in-flight"));
        queue.AddAfter(Key("delayed"), TimeSpan.FromSeconds(1));

        Assert.Equal(3, queue.ShutDown());
        Assert.False(queue.Add(Key("new")));
        queue.AddAfter(Key("new"), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, queue.AddRateLimited(Key("new")));
        Assert.Null(await queue.GetAsync(CancellationToken.None));

        var idle = queue.WaitForIdleAsync(TimeSpan.FromSeconds(5));
        Assert.False(idle.IsCompleted, "the queue reported idle while a key was still being processed");
        queue.Done(Key("in-flight"));
        Assert.True(await idle.WaitAsync(TimeSpan.FromSeconds(10)));

        // Dirty and delayed keys were dropped with the queue, not handed out later.
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Processing);
    }

    [Fact]
    public async Task ShutDown_WaitingGetterIsWokenWithNull()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        queue.ShutDown();
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitForIdle_InFlightKeyNeverDone_ReturnsFalseAfterTheBound()
    {
        using var queue = NewQueue();
        queue.Add(Key("stuck"));
        await queue.GetAsync(CancellationToken.None);
        queue.ShutDown();
        var idle = queue.WaitForIdleAsync(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1) - Ms);
        Assert.False(idle.IsCompleted, "the drain gave up before its bound");
        _time.Advance(Ms);
        Assert.False(await idle.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Get_Cancelled_Throws()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var waiting = queue.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Done_KeyNotBeingProcessed_Throws()
    {
        using var queue = NewQueue();
        queue.Add(Key("a"));
        var e = Assert.Throws<InvalidOperationException>(() => queue.Done(Key("a")));
        Assert.Contains("not being processed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Invalid_RefusedWithTheSettingNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => NewQueue(new WorkQueueOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }));
        Assert.Contains("MaxDelay", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => NewQueue(new WorkQueueOptions { Jitter = 1 }));
        Assert.Contains("Jitter", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => NewQueue(new WorkQueueOptions { RetriesPerSecond = 0 }));
        Assert.Contains("RetriesPerSecond", e.Message, StringComparison.Ordinal);
    }

    internal static ResourceKey Key(string name) => new("example.com", "v1", "Widget", "default", name);

    private WorkQueue NewQueue(WorkQueueOptions? options = null) => new("test", options ?? new WorkQueueOptions(), _time, new Random(1));
}
