namespace ControlPlane.Replication.Tests;

public sealed class SharedReadBarrierTests
{
    [Fact]
    public async Task ReadersArrivingDuringABarrier_ShareTheNextOne_NeverTheRunningOne()
    {
        var started = new List<TaskCompletionSource>();
        var gate = new object();
        var barrier = new SharedReadBarrier(
            _ =>
            {
                var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (gate) started.Add(tcs);
                return tcs.Task;
            },
            TimeSpan.FromSeconds(30));

        var first = barrier.WaitAsync(CancellationToken.None);
        Assert.Single(started);

        // Arrive while barrier #1 runs: these must not complete with #1.
        var late = Enumerable.Range(0, 10).Select(_ => barrier.WaitAsync(CancellationToken.None)).ToArray();
        started[0].SetResult();
        await first;
        Assert.All(late, t => Assert.False(t.IsCompleted));

        await WaitUntil(() => { lock (gate) return started.Count == 2; }, "the second, shared barrier to start");
        started[1].SetResult();
        await Task.WhenAll(late).WaitAsync(TimeSpan.FromSeconds(10));
        lock (gate) Assert.Equal(2, started.Count);
    }

    [Fact]
    public async Task FailedBarrier_FailsOnlyItsReaders_NextReaderRunsAFreshOne()
    {
        var calls = 0;
        var barrier = new SharedReadBarrier(
            _ => Interlocked.Increment(ref calls) == 1 ? Task.FromException(new TimeoutException("no leader")) : Task.CompletedTask,
            TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<TimeoutException>(() => barrier.WaitAsync(CancellationToken.None));
        await barrier.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }
}
