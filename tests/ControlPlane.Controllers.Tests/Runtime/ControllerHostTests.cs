using System.Diagnostics;
using System.Text.Json.Nodes;
using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>The leader-gated host against the real state machine behind a one-member Raft store.</summary>
public sealed class ControllerHostTests(ITestOutputHelper output)
{
    private const string Name = "copy-value";

    private static readonly ResourceKind Gadgets = new("example.com", "v1", "Gadget");

    [Fact]
    public async Task Events_DriveReconciles_ForObjectsListedAtStartAndWrittenLater()
    {
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(reconciler = new CopyValueReconciler(store, Name))]);
        await h.PutAsync("before", 1);
        await h.StartAsync();
        await h.WaitForObservedValueAsync("before", 1);

        await h.PutAsync("after", 2);
        await h.WaitForObservedValueAsync("after", 2);
        await h.PutAsync("before", 3);
        await h.WaitForObservedValueAsync("before", 3);
        await h.WaitIdleAsync(Name);

        Assert.Equal(2, h.Store.StatusWritesApplied(Widgets.Key("before")));
        Assert.Equal(1, h.Store.StatusWritesApplied(Widgets.Key("after")));
        Assert.Equal(1, h.Store.Lists);
        Assert.Equal(1, h.Store.Watches);
    }

    [Fact]
    public async Task OwnStatusWrite_ReconciledOnceMore_ButWritesNothing_NoHotLoop()
    {
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(reconciler = new CopyValueReconciler(store, Name))]);
        await h.StartAsync();
        await h.WaitActiveAsync(Name, true);

        await h.PutAsync("w", 1);
        await h.WaitForObservedValueAsync("w", 1);
        await h.WaitIdleAsync(Name);

        // The create, then the echo of the status write; the echo finds nothing to change and sends nothing.
        Assert.Equal(2, reconciler.Calls(Widgets.Key("w")));
        Assert.Equal(1, h.Store.WriteAttempts(Widgets.Key("w")));
        Assert.Equal(1, h.Store.StatusWritesApplied(Widgets.Key("w")));
    }

    [Fact]
    public async Task LeadershipLost_InFlightReconcileCancelledAndControllerStopped_WithinTheStopTimeout()
    {
        // Generous, so a loaded machine cannot fail the test: what it proves is that the reconcile honours the
        // cancellation (the host would otherwise abandon it at the timeout and log 5004), not how fast.
        var stopTimeout = TimeSpan.FromSeconds(5);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledAfter = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        await using var h = await RuntimeHarness.CreateAsync(
            output,
            store => [CopyValue(new CopyValueReconciler(store, Name)
            {
                BeforeWrite = async (_, _, ct) =>
                {
                    entered.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                    }
                    finally
                    {
                        cancelledAfter.TrySetResult(clock.Elapsed);
                    }
                },
            })],
            options: new ControllerHostOptions { StopTimeout = stopTimeout });
        await h.StartAsync();
        await h.PutAsync("slow", 1);
        await entered.Task.WaitAsync(Eventually.Deadline);

        clock.Start();
        h.Leadership.Revoke();
        await Eventually.WaitAsync(() => h.Logger.Logged(5003), "the 'controller stopped' log (event 5003)", () => h.Host.GetStatus(Name).ToString());
        var stopped = clock.Elapsed;
        var cancelled = await cancelledAfter.Task.WaitAsync(Eventually.Deadline);

        Assert.True(cancelled < stopTimeout, $"the in-flight reconcile saw cancellation {cancelled.TotalMilliseconds} ms after leadership was lost; expected under {stopTimeout.TotalMilliseconds} ms");
        Assert.True(stopped < stopTimeout, $"the controller stopped (in-flight work finished) {stopped.TotalMilliseconds} ms after leadership was lost; expected under {stopTimeout.TotalMilliseconds} ms");
        Assert.False(h.Host.GetStatus(Name).Active);
        Assert.False(h.Logger.Logged(5004), "the in-flight reconcile honoured cancellation, yet the host reported it abandoned");
        Assert.Equal(0, h.Store.WriteAttempts(Widgets.Key("slow")));
    }

    [Fact]
    public async Task LeadershipLostAndRegained_PendingAndMissedWorkFinishedExactlyOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = 0;
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(reconciler = new CopyValueReconciler(store, Name)
        {
            BeforeWrite = async (_, _, ct) =>
            {
                Interlocked.Increment(ref blocked);
                await release.Task.WaitAsync(ct);
            },
        })]);
        await h.StartAsync();
        for (var i = 0; i < 5; i++) await h.PutAsync($"w{i}", i);

        // Two workers hold two keys; three more wait in the queue.
        await Eventually.WaitAsync(() => Volatile.Read(ref blocked) == 2 && h.Host.GetStatus(Name).Queued == 3, "2 reconciles blocked and 3 keys queued", () => $"{blocked} blocked, {h.Host.GetStatus(Name)}");
        h.Leadership.Revoke();
        await h.WaitActiveAsync(Name, false);
        var callsWhenStopped = reconciler.TotalCalls;

        // While this node does not lead: a new object and a change to a pending one.
        await h.PutAsync("w5", 5);
        await h.PutAsync("w0", 10);
        Assert.Equal(callsWhenStopped, reconciler.TotalCalls);
        Assert.False(h.Host.GetStatus(Name).Active);

        release.SetResult();
        h.Leadership.Grant();
        int[] expected = [10, 1, 2, 3, 4, 5];
        for (var i = 0; i < expected.Length; i++) await h.WaitForObservedValueAsync($"w{i}", expected[i]);
        await h.WaitIdleAsync(Name);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(h.Store.StatusWritesApplied(Widgets.Key($"w{i}")) == 1, $"w{i}: expected exactly one status write, saw {h.Store.StatusWritesApplied(Widgets.Key($"w{i}"))}");
        }

        Assert.Equal(2, h.Host.GetStatus(Name).Terms);
        Assert.Equal(2, h.Store.Lists);
    }

    [Fact]
    public async Task DeposedLeader_ReconcileThatIgnoresCancellation_ItsWriteIsRefused_NextTermWritesOnce()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(
            output,
            store => [CopyValue(reconciler = new CopyValueReconciler(store, Name)
            {
                BeforeWrite = async (_, _, _) =>
                {
                    entered.TrySetResult();
                    await gate.Task;
                },
            })],
            options: new ControllerHostOptions { StopTimeout = TimeSpan.FromMilliseconds(200) });
        await h.StartAsync();
        await h.PutAsync("stubborn", 7);
        await entered.Task.WaitAsync(Eventually.Deadline);

        h.Leadership.Revoke();
        await Eventually.WaitAsync(() => h.Logger.Logged(5004), "the 'reconciles abandoned' warning (event 5004) for a reconcile that ignores cancellation", () => h.Host.GetStatus(Name).ToString());
        Assert.False(h.Host.GetStatus(Name).Active);

        reconciler.BeforeWrite = null;
        gate.SetResult();
        await Eventually.WaitAsync(() => h.Store.Refused(Widgets.Key("stubborn")) == 1, "the deposed leader's write to be refused", () => $"{h.Store.Refused(Widgets.Key("stubborn"))} refused");
        Assert.Equal(0, h.Store.StatusWritesApplied(Widgets.Key("stubborn")));

        h.Leadership.Grant();
        await h.WaitForObservedValueAsync("stubborn", 7);
        await h.WaitIdleAsync(Name);
        Assert.Equal(1, h.Store.StatusWritesApplied(Widgets.Key("stubborn")));
    }

    [Fact]
    public async Task AbandonedReconcileOfTheOldTerm_NewTermStartsOnlyAfterIt_NeverTwoReconcilesOfOneKey()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var overlaps = 0;
        await using var h = await RuntimeHarness.CreateAsync(
            output,
            store => [CopyValue(new CopyValueReconciler(store, Name)
            {
                BeforeWrite = async (_, _, _) =>
                {
                    if (Interlocked.Increment(ref inFlight) > 1) Interlocked.Increment(ref overlaps);
                    entered.TrySetResult();
                    await gate.Task;
                    Interlocked.Decrement(ref inFlight);
                },
            })],
            options: new ControllerHostOptions { StopTimeout = TimeSpan.FromMilliseconds(200) });
        await h.StartAsync();
        await h.PutAsync("stubborn", 3);
        await entered.Task.WaitAsync(Eventually.Deadline);
        h.Leadership.Revoke();
        await Eventually.WaitAsync(() => h.Logger.Logged(5004), "the reconcile to be abandoned (event 5004)", () => h.Host.GetStatus(Name).ToString());

        h.Leadership.Grant();
        await Eventually.WaitAsync(() => h.Logger.Logged(5012), "the host to wait for the abandoned reconcile (event 5012)", () => h.Host.GetStatus(Name).ToString());
        Assert.Equal(1, h.Host.GetStatus(Name).Terms);

        gate.SetResult();
        await h.WaitForObservedValueAsync("stubborn", 3);
        await h.WaitIdleAsync(Name);
        Assert.Equal(2, h.Host.GetStatus(Name).Terms);
        Assert.Equal(0, overlaps);
    }

    [Theory]
    [InlineData(ErrorCode.Expired)]
    [InlineData(ErrorCode.ResourceExhausted)]
    public async Task WatchEndedByTheStore_ReListsAndWatchesAgain_NothingMissed(ErrorCode code)
    {
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(new CopyValueReconciler(store, Name))]);
        await h.StartAsync();
        await h.PutAsync("a", 1);
        await h.WaitForObservedValueAsync("a", 1);

        Assert.Equal(1, h.Store.BreakWatches(code));
        await h.PutAsync("b", 2);
        await h.PutAsync("a", 3);
        await h.WaitForObservedValueAsync("b", 2);
        await h.WaitForObservedValueAsync("a", 3);
        await h.WaitIdleAsync(Name);

        Assert.Equal(2, h.Store.Lists);
        Assert.Equal(2, h.Store.Watches);
        Assert.False(h.Host.ExecuteTask!.IsCompleted, "the host ended after a watch error it should have recovered from");
    }

    [Fact]
    public async Task ReList_ObjectDeletedWhileTheWatchWasDown_ItsKeyIsStillReconciled()
    {
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(reconciler = new CopyValueReconciler(store, Name))]);
        await h.PutAsync("doomed", 1);
        await h.StartAsync();
        await h.WaitForObservedValueAsync("doomed", 1);
        await h.WaitIdleAsync(Name);
        var callsBefore = reconciler.Calls(Widgets.Key("doomed"));

        // The watch ends; the delete lands after it and before the re-list, so no event will ever carry it.
        h.Store.HoldLists();
        h.Store.BreakWatches(ErrorCode.Expired);
        await Eventually.WaitAsync(() => h.Store.Lists == 2, "the re-list to start", () => $"{h.Store.Lists} lists");
        (await h.Node.Store.WriteAsync(new WriteRequest { Kind = WriteKind.Delete, Key = Widgets.Key("doomed") }, CancellationToken.None)).EnsureSuccess();
        h.Store.ReleaseLists();

        await Eventually.WaitAsync(
            () => reconciler.Calls(Widgets.Key("doomed")) == callsBefore + 1,
            "the vanished object's key to be reconciled once (so its controller can clean up)",
            () => $"{reconciler.Calls(Widgets.Key("doomed"))} calls, {callsBefore} before");
        await h.WaitIdleAsync(Name);
        Assert.Equal(0, h.Host.GetStatus(Name).Known);
    }

    [Fact]
    public async Task WatchFromTheListPositionExpired_ReListsAndWatchesAgain()
    {
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(new CopyValueReconciler(store, Name))]);
        await h.PutAsync("a", 1);
        h.Store.FailNextSubscribe(ErrorCode.Expired);
        await h.StartAsync();
        await h.WaitForObservedValueAsync("a", 1);
        await h.PutAsync("b", 2);
        await h.WaitForObservedValueAsync("b", 2);

        Assert.Equal(2, h.Store.Lists);
        Assert.Equal(2, h.Store.Watches);
    }

    [Fact]
    public async Task MappedSource_ChangeOfASecondaryKind_EnqueuesThePrimaryKeysItPointsAtBeforeAndAfter()
    {
        CopyValueReconciler reconciler = null!;
        var reconciledKinds = new HashSet<string>();
        await using var h = await RuntimeHarness.CreateAsync(output, store =>
        [
            new ControllerDefinition
            {
                Name = Name,
                Reconciler = reconciler = new CopyValueReconciler(store, Name)
                {
                    BeforeWrite = (key, _, _) =>
                    {
                        lock (reconciledKinds) reconciledKinds.Add(key.Kind);
                        return Task.CompletedTask;
                    },
                },
                Watches = [WatchSource.For(Widgets.Kind), WatchSource.Mapped(Gadgets, WidgetsOfGadget)],
                ResyncPeriod = TimeSpan.Zero,
            },
        ]);
        await h.PutAsync("w", 1);
        await h.PutAsync("v", 2);
        await h.StartAsync();
        await h.WaitForObservedValueAsync("w", 1);
        await h.WaitForObservedValueAsync("v", 2);
        await Eventually.WaitAsync(() => reconciler.Calls(Widgets.Key("w")) == 2, "w reconciled twice (listed, then its own status echo)", () => $"{reconciler.Calls(Widgets.Key("w"))}");

        await PutGadgetAsync(h, "g", "w");
        await Eventually.WaitAsync(() => reconciler.Calls(Widgets.Key("w")) == 3, "the new Gadget to enqueue Widget w", () => $"{reconciler.Calls(Widgets.Key("w"))} calls of w");

        await PutGadgetAsync(h, "g", "v");
        await Eventually.WaitAsync(
            () => reconciler.Calls(Widgets.Key("w")) == 4 && reconciler.Calls(Widgets.Key("v")) == 3,
            "moving the Gadget from w to v to enqueue both",
            () => $"w {reconciler.Calls(Widgets.Key("w"))}, v {reconciler.Calls(Widgets.Key("v"))}");
        lock (reconciledKinds) Assert.Equal(["Widget"], reconciledKinds);
    }

    [Fact]
    public async Task Resync_ReEnqueuesEveryKnownKeyEachPeriod_AndWritesNothingNew()
    {
        var time = new FakeTimeProvider();
        CopyValueReconciler reconciler = null!;
        await using var h = await RuntimeHarness.CreateAsync(output, store => [CopyValue(reconciler = new CopyValueReconciler(store, Name), TimeSpan.FromMinutes(1))], time);
        for (var i = 0; i < 3; i++) await h.PutAsync($"w{i}", i);
        await h.StartAsync();
        for (var i = 0; i < 3; i++) await h.WaitForObservedValueAsync($"w{i}", i);
        await h.WaitIdleAsync(Name);
        var before = Enumerable.Range(0, 3).Select(i => reconciler.Calls(Widgets.Key($"w{i}"))).ToArray();

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.WaitAsync(
            () => Enumerable.Range(0, 3).All(i => reconciler.Calls(Widgets.Key($"w{i}")) == before[i] + 1),
            "each key reconciled once more after one resync period",
            () => string.Join(", ", Enumerable.Range(0, 3).Select(i => $"w{i}: {before[i]} -> {reconciler.Calls(Widgets.Key($"w{i}"))}")));
        await h.WaitIdleAsync(Name);
        for (var i = 0; i < 3; i++) Assert.Equal(1, h.Store.WriteAttempts(Widgets.Key($"w{i}")));
    }

    [Fact]
    public async Task FailureInAControllerLoop_StopsTheWholeHost_WithTheException()
    {
        await using var h = await RuntimeHarness.CreateAsync(output, store =>
        [
            CopyValue(new CopyValueReconciler(store, Name)),
            new ControllerDefinition
            {
                Name = "broken-mapper",
                Reconciler = new CopyValueReconciler(store, "broken-mapper"),
                Watches = [WatchSource.Mapped(Gadgets, (_, _) => throw new InvalidOperationException("mapper bug"))],
            },
        ]);
        await h.StartAsync();
        await h.WaitActiveAsync(Name, true);
        await h.WaitActiveAsync("broken-mapper", true);

        await PutGadgetAsync(h, "g", "w");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Host.ExecuteTask!.WaitAsync(Eventually.Deadline));
        Assert.Equal("mapper bug", e.Message);
        Assert.False(h.Host.GetStatus(Name).Active, "a healthy controller kept running in a host that failed");
        Assert.False(h.Host.GetStatus("broken-mapper").Active);
        Assert.True(h.Logger.Logged(5013), "expected the host failure to be logged (event 5013)");
    }

    [Fact]
    public async Task HostStop_IsNotAnError_AndTheInFlightReconcileMayFinishItsWrite()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledAtResume = true;
        await using var h = await RuntimeHarness.CreateAsync(
            output,
            store => [CopyValue(new CopyValueReconciler(store, Name)
            {
                BeforeWrite = async (_, _, ct) =>
                {
                    entered.TrySetResult();
                    await gate.Task;
                    cancelledAtResume = ct.IsCancellationRequested;
                },
            })],
            options: new ControllerHostOptions { StopTimeout = TimeSpan.FromSeconds(10) });
        await h.StartAsync();
        await h.PutAsync("draining", 4);
        await entered.Task.WaitAsync(Eventually.Deadline);

        var stopping = h.Host.StopAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => !h.Host.GetStatus(Name).Active, "the controller to stop taking work", () => h.Host.GetStatus(Name).ToString());
        gate.SetResult();
        await stopping.WaitAsync(Eventually.Deadline);

        Assert.True(h.Host.ExecuteTask!.IsCompletedSuccessfully, $"host stop ended as {h.Host.ExecuteTask.Status}, expected a clean completion");
        Assert.False(cancelledAtResume, "the in-flight reconcile was cancelled although it finished within the stop timeout");
        Assert.Equal(1, h.Store.StatusWritesApplied(Widgets.Key("draining")));
    }

    private static ControllerDefinition CopyValue(CopyValueReconciler reconciler, TimeSpan? resync = null) => new()
    {
        Name = Name,
        Reconciler = reconciler,
        Watches = [WatchSource.For(Widgets.Kind)],
        ResyncPeriod = resync ?? TimeSpan.Zero,
        Queue = new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
    };

    /// <summary>A Gadget names one Widget in spec.widget.</summary>
    private static IEnumerable<ResourceKey> WidgetsOfGadget(StoredResource? before, StoredResource? after)
    {
        var keys = new HashSet<ResourceKey>();
        foreach (var gadget in new[] { before, after })
        {
            if (gadget?.ToJsonObject()["spec"]?["widget"]?.GetValue<string>() is { } widget) keys.Add(Widgets.Key(widget, gadget.Key.Namespace));
        }

        return keys;
    }

    private static async Task PutGadgetAsync(RuntimeHarness h, string name, string widget)
    {
        var request = new WriteRequest
        {
            Kind = WriteKind.Put,
            Key = new ResourceKey(Gadgets.Group, Gadgets.Version, Gadgets.Kind, "default", name),
            Body = WriteRequest.Json(JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"widget":"{{{widget}}}"}}""")),
        };
        (await h.Node.Store.WriteAsync(request, CancellationToken.None)).EnsureSuccess();
    }
}
