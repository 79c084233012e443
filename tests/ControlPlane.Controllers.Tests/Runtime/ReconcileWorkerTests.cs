using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>What the runtime does with each reconcile result, on a fake clock, with the metrics it records.</summary>
public sealed class ReconcileWorkerTests : IDisposable
{
    private const string Controller = "worker-test";
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    private static readonly ResourceKey Key = WorkQueueTests.Key("a");

    private readonly FakeTimeProvider _time = new();
    private readonly ControllerMetrics _metrics = new();
    private readonly MetricsRecorder _recorded;
    private readonly WorkQueue _queue;
    private readonly ScriptedReconciler _reconciler = new();
    private readonly ReconcileWorker _worker;

    public ReconcileWorkerTests()
    {
        _recorded = new MetricsRecorder(_metrics);
        _queue = new WorkQueue(Controller, new WorkQueueOptions { BaseDelay = Base, Jitter = 0 }, _time, new Random(1), _metrics);
        _worker = new ReconcileWorker(Controller, _queue, _reconciler, _metrics, _time, NullLogger.Instance);
    }

    [Fact]
    public async Task Terminal_NotRetried_EvenLongAfter()
    {
        _reconciler.Results.Enqueue(ReconcileResult.Terminal("the spec asks for something impossible"));
        _queue.Add(Key);
        await ProcessNextAsync();

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((0, 0, 0), _queue.Depths);
        Assert.Equal(0, _queue.NumRequeues(Key));
        Assert.Equal(1, _reconciler.Calls);
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "terminal")));
    }

    [Fact]
    public async Task Retry_BacksOffExponentially_AndDoneForgetsTheFailures()
    {
        _reconciler.Results.Enqueue(ReconcileResult.Retry("dependency not ready"));
        _reconciler.Results.Enqueue(ReconcileResult.Retry("dependency not ready"));
        _reconciler.Results.Enqueue(ReconcileResult.Done);
        _queue.Add(Key);

        await ProcessNextAsync();
        AssertReadyAfter(Base);
        await ProcessNextAsync();
        AssertReadyAfter(Base * 2);
        await ProcessNextAsync();

        Assert.Equal(0, _queue.NumRequeues(Key));
        Assert.Equal((0, 0, 0), _queue.Depths);
        Assert.Equal(2, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "retry")));
        Assert.Equal(2, _recorded.Sum("controlplane.controller.queue.retries", ("controller", Controller)));
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "done")));
        Assert.Equal(3, _recorded.Count("controlplane.controller.reconcile.duration", ("controller", Controller)));
    }

    [Fact]
    public async Task Exception_RetriedWithBackoff_CountedAsError()
    {
        _reconciler.Results.Enqueue(null);
        _queue.Add(Key);
        await ProcessNextAsync();

        Assert.Equal(1, _queue.NumRequeues(Key));
        AssertReadyAfter(Base);
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "error")));
    }

    [Theory]
    [InlineData(ErrorCode.Conflict)]
    [InlineData(ErrorCode.NotFound)]
    [InlineData(ErrorCode.AlreadyExists)]
    public async Task WriteRacedWithAnotherWriter_RequeuedToReRead_CountedAsConflictNotError(ErrorCode code)
    {
        _reconciler.Throw = new ControlPlaneException(code, "resourceVersion moved");
        _queue.Add(Key);
        await ProcessNextAsync();

        AssertReadyAfter(Base);
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "conflict")));
        Assert.Equal(0, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "error")));
    }

    [Fact]
    public async Task RequeueAfter_QueuedAgainAfterExactlyTheDelay_WithoutCountingAFailure()
    {
        _reconciler.Results.Enqueue(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)));
        _queue.Add(Key);
        await ProcessNextAsync();

        AssertReadyAfter(TimeSpan.FromSeconds(30));
        Assert.Equal(0, _queue.NumRequeues(Key));
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "requeue_after")));
    }

    [Fact]
    public async Task CancelledWhileReconciling_NotRequeued_AndTheKeyIsReleased()
    {
        using var cts = new CancellationTokenSource();
        _reconciler.Throw = new ControlPlaneException(ErrorCode.Unavailable, "this node is not the leader");
        _reconciler.OnCall = cts.Cancel;
        _queue.Add(Key);
        var key = await _queue.GetAsync(CancellationToken.None);
        await _worker.ProcessAsync(key!.Value, cts.Token);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((0, 0, 0), _queue.Depths);
        Assert.Equal(1, _recorded.Count("controlplane.controller.reconcile.outcomes", ("result", "cancelled")));
    }

    [Fact]
    public async Task Run_EndsWhenTheQueueShutsDown()
    {
        var run = _worker.RunAsync(CancellationToken.None);
        Assert.False(run.IsCompleted);
        _queue.ShutDown();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Metrics_QueueDepthGauge_ReportsTheReadyKeys()
    {
        _queue.Add(WorkQueueTests.Key("x"));
        _queue.Add(WorkQueueTests.Key("y"));
        _recorded.Observe();
        Assert.Equal(2, _recorded.Last("controlplane.controller.queue.depth", Controller));
        Assert.Equal(2, _recorded.Sum("controlplane.controller.queue.adds", ("controller", Controller)));
    }

    public void Dispose()
    {
        _queue.Dispose();
        _recorded.Dispose();
        _metrics.Dispose();
    }

    private async Task ProcessNextAsync()
    {
        var key = await _queue.GetAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await _worker.ProcessAsync(key!.Value, CancellationToken.None);
    }

    /// <summary>The key is waiting and becomes ready exactly when <paramref name="delay"/> has passed.</summary>
    private void AssertReadyAfter(TimeSpan delay)
    {
        Assert.Equal((0, 0, 1), _queue.Depths);
        _time.Advance(delay - TimeSpan.FromTicks(1));
        Assert.Equal((0, 0, 1), _queue.Depths);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal((1, 0, 0), _queue.Depths);
    }

    /// <summary>Answers from a script; a null entry throws.</summary>
    private sealed class ScriptedReconciler : IReconciler
    {
        public Queue<ReconcileResult?> Results { get; } = new();

        public Exception? Throw { get; set; }

        public Action? OnCall { get; set; }

        public int Calls { get; private set; }

        public ValueTask<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
        {
            Calls++;
            OnCall?.Invoke();
            if (Throw is not null) throw Throw;
            return ValueTask.FromResult(Results.Dequeue() ?? throw new InvalidOperationException("scripted failure"));
        }
    }
}
