using System.Text.Json.Nodes;
using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>Controller writes against the real state machine: fenced by resourceVersion, deduplicated by request id.</summary>
public sealed class ControllerWriterTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private const string Controller = "writer-test";

    private readonly FencedStore _store = new(fixture.Node.Store, fixture.Node.Leadership);

    [Fact]
    public async Task UpdateStatus_IsConditionalOnTheObservedVersion_WithControllerReasonPrincipalAndRequestId()
    {
        var observed = await PutAsync("status-shape", 1);
        var writer = new ControllerWriter(_store, Controller);
        var result = await writer.UpdateStatusAsync(observed, new JsonObject { ["observedValue"] = 1 }, CancellationToken.None);

        Assert.True(result.WasSent);
        Assert.True(result.Changed);
        Assert.Equal(1, Widgets.ObservedValue(result.Object));
        var request = Assert.Single(_store.Writes).Request;
        Assert.Equal(WriteKind.UpdateStatus, request.Kind);
        Assert.Equal(observed.ResourceVersion, request.ExpectedResourceVersion);
        Assert.Equal(Reason.Controller, request.Reason);
        Assert.Equal("system:controller:" + Controller, request.Principal);
        Assert.StartsWith($"ctl:{Controller}:status:{observed.ResourceVersion}:", request.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_EqualToTheStoredStatus_SendsNothing()
    {
        var writer = new ControllerWriter(_store, Controller);
        var first = await writer.UpdateStatusAsync(await PutAsync("status-same", 2), new JsonObject { ["observedValue"] = 2 }, CancellationToken.None);
        var again = await writer.UpdateStatusAsync(first.Object!, new JsonObject { ["observedValue"] = 2 }, CancellationToken.None);

        Assert.False(again.WasSent);
        Assert.False(again.Changed);
        Assert.Same(first.Object, again.Object);
        Assert.Single(_store.Writes);
    }

    [Fact]
    public async Task Write_BasedOnAStaleRead_RefusedWithConflict_NamingTheCurrentVersion()
    {
        var stale = await PutAsync("stale", 1);
        var current = await PutAsync("stale", 2);
        var writer = new ControllerWriter(_store, Controller);

        var e = await Assert.ThrowsAsync<ControlPlaneException>(() => writer.UpdateStatusAsync(stale, new JsonObject { ["observedValue"] = 1 }, CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.Conflict, e.Code);
        Assert.Equal(current.ResourceVersion, e.CurrentResourceVersion);
        Assert.Null(Widgets.ObservedValue(await GetAsync("stale")));

        e = await Assert.ThrowsAsync<ControlPlaneException>(() => writer.PatchAsync(stale, new JsonObject { ["spec"] = new JsonObject { ["value"] = 9 } }, CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.Conflict, e.Code);
        e = await Assert.ThrowsAsync<ControlPlaneException>(() => writer.DeleteAsync(stale, CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.Conflict, e.Code);
        Assert.NotNull(await GetAsync("stale"));
    }

    [Fact]
    public async Task SameWriteRetried_AfterItsAnswerWasLost_AppliedOnceAndAnsweredFromTheRequestTable()
    {
        var observed = await PutAsync("retried", 3);
        var writer = new ControllerWriter(_store, Controller);
        var status = new JsonObject { ["observedValue"] = 3 };

        // The reconciler's retry after a leader change: the same read, the same decision.
        var first = await writer.UpdateStatusAsync(observed, status, CancellationToken.None);
        var retry = await writer.UpdateStatusAsync(observed, status, CancellationToken.None);

        Assert.False(first.Result!.Replayed);
        Assert.True(retry.Result!.Replayed, "the retried write was applied again instead of answered from the request table");
        Assert.Equal(first.Result.ResourceVersion, retry.Result.ResourceVersion);
        Assert.Equal(first.Result.ResourceVersion, (await GetAsync("retried"))!.ResourceVersion);
        Assert.Equal(1, _store.StatusWritesApplied(Widgets.Key("retried")));
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_SendsNothing_OneThatDoes_IsConditional()
    {
        var observed = await PutAsync("patched", 4);
        var writer = new ControllerWriter(_store, Controller);

        var same = await writer.PatchAsync(observed, new JsonObject { ["spec"] = new JsonObject { ["value"] = 4 } }, CancellationToken.None);
        Assert.False(same.WasSent);

        var changed = await writer.PatchAsync(observed, new JsonObject { ["spec"] = new JsonObject { ["value"] = 5 } }, CancellationToken.None);
        Assert.True(changed.Changed);
        Assert.Equal(5, Widgets.SpecValue(changed.Object!));
        var request = Assert.Single(_store.Writes).Request;
        Assert.Equal(WriteKind.Patch, request.Kind);
        Assert.Equal(observed.ResourceVersion, request.ExpectedResourceVersion);
    }

    [Fact]
    public async Task Create_RetriedCreateAppliesOnce_CreateOfAnExistingObjectIsAlreadyExists()
    {
        var writer = new ControllerWriter(_store, Controller);
        var key = Widgets.Key("created");
        var body = JsonNode.Parse(Widgets.Put("created", 6).Body.Span)!.AsObject();

        var first = await writer.CreateAsync(key, body, CancellationToken.None);
        var retry = await writer.CreateAsync(key, body, CancellationToken.None);
        Assert.Equal(WriteOutcome.Created, first.Result!.Outcome);
        Assert.True(retry.Result!.Replayed);

        var other = JsonNode.Parse(Widgets.Put("created", 7).Body.Span)!.AsObject();
        var e = await Assert.ThrowsAsync<ControlPlaneException>(() => writer.CreateAsync(key, other, CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.AlreadyExists, e.Code);
    }

    [Fact]
    public async Task Delete_OfTheObservedVersion_RemovesIt()
    {
        var observed = await PutAsync("deleted", 8);
        var result = await new ControllerWriter(_store, Controller).DeleteAsync(observed, CancellationToken.None);
        Assert.Equal(WriteOutcome.Deleted, result.Result!.Outcome);
        Assert.Null(result.Object);
        Assert.Null(await GetAsync("deleted"));
    }

    [Fact]
    public void RequestId_DeterministicPerControllerKeyVersionKindAndBody_AndShort()
    {
        var key = Widgets.Key("k");
        var id = ControllerWriter.RequestIdFor("c", key, 5, WriteKind.UpdateStatus, false, "{}");
        Assert.Equal(id, ControllerWriter.RequestIdFor("c", key, 5, WriteKind.UpdateStatus, false, "{}"));
        string[] others =
        [
            ControllerWriter.RequestIdFor("d", key, 5, WriteKind.UpdateStatus, false, "{}"),
            ControllerWriter.RequestIdFor("c", Widgets.Key("k2"), 5, WriteKind.UpdateStatus, false, "{}"),
            ControllerWriter.RequestIdFor("c", key, 6, WriteKind.UpdateStatus, false, "{}"),
            ControllerWriter.RequestIdFor("c", key, 5, WriteKind.Patch, false, "{}"),
            ControllerWriter.RequestIdFor("c", key, 5, WriteKind.Put, true, "{}"),
            ControllerWriter.RequestIdFor("c", key, 5, WriteKind.Put, false, "{}"),
            ControllerWriter.RequestIdFor("c", key, 5, WriteKind.UpdateStatus, false, "{\"a\":1}"),
        ];
        Assert.Equal(others.Length + 1, others.Append(id).Distinct().Count());
        Assert.True(ControllerWriter.RequestIdFor(new string('c', 63), key, long.MaxValue, WriteKind.UpdateStatus, false, "{}").Length <= 128);
    }

    [Fact]
    public async Task StaleWriteInAReconcile_RequeuedReReadAndWritten_WithoutAnyWatchEvent()
    {
        // No informer here: only the runtime's conflict requeue can bring the key back.
        var observed = await PutAsync("raced", 1);
        var reconciler = new CopyValueReconciler(_store, Controller);
        var raced = false;
        reconciler.BeforeWrite = async (key, _, ct) =>
        {
            if (raced) return;
            raced = true;
            (await fixture.Node.Store.WriteAsync(Widgets.Put("raced", 2), ct)).EnsureSuccess();
        };
        using var metrics = new ControllerMetrics();
        using var queue = new WorkQueue(Controller, new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(10) }, TimeProvider.System, metrics: metrics);
        using var recorded = new MetricsRecorder(metrics);
        var worker = new ReconcileWorker(Controller, queue, reconciler, metrics, TimeProvider.System, NullLogger.Instance);
        queue.Add(observed.Key);
        using var stop = new CancellationTokenSource(Eventually.Deadline);
        var run = worker.RunAsync(stop.Token);

        await Eventually.WaitAsync(async () => Widgets.ObservedValue(await GetAsync("raced")) == 2, "raced to get status.observedValue 2 after the conflict", () => $"{reconciler.Calls(observed.Key)} reconciles");
        queue.ShutDown();
        await run.WaitAsync(Eventually.Deadline);

        Assert.Equal(2, reconciler.Calls(observed.Key));
        Assert.Equal(1, _store.Conflicts(observed.Key));
        Assert.Equal(1, _store.StatusWritesApplied(observed.Key));
        Assert.Equal(1, recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "conflict")));
    }

    private async Task<StoredResource> PutAsync(string name, int value) =>
        (await fixture.Node.Store.WriteAsync(Widgets.Put(name, value), CancellationToken.None)).EnsureSuccess().Object!;

    private async Task<StoredResource?> GetAsync(string name) =>
        (await fixture.Node.Store.GetAsync(Widgets.Key(name), ReadConsistency.Local, CancellationToken.None)).Resource;
}
