using System.Diagnostics;
using System.Runtime;
using ControlPlane.Bench.Cli;
using ControlPlane.Bench.Measurement;
using ControlPlane.Bench.Targets;

namespace ControlPlane.Bench.Scenarios;

/// <summary>Runs one scenario against one target and measures it.</summary>
public sealed partial class ScenarioRunner(BenchOptions options, IBenchTarget target, LiveCounters live)
{
    /// <summary>Extra time given to calls in flight when the window closes before they are cancelled.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken) => options.Scenario switch
    {
        ScenarioKind.Put => await PutAsync(cancellationToken),
        ScenarioKind.Get => await GetAsync(cancellationToken),
        ScenarioKind.List => await ListAsync(cancellationToken),
        ScenarioKind.Watch => await WatchAsync(cancellationToken),
        ScenarioKind.Mixed => await MixedAsync(cancellationToken),
        ScenarioKind.Fill => await FillAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Scenario, "unknown scenario"),
    };

    /// <summary>
    /// Runs <paramref name="concurrency"/> workers, each calling its body in a loop until the window (after the
    /// warm-up) closes. Calls still in flight then get <see cref="DrainGrace"/> plus the call timeout before they are cancelled.
    /// </summary>
    private async Task<(RecorderSet[] Sets, MeasuredWindow Window, string? Note)> ClosedLoopAsync(
        int concurrency, Func<int, Func<RecorderSet, CancellationToken, Task>> makeWorker, CancellationToken cancellationToken, MeasuredWindow? measured = null)
    {
        var window = measured ?? MeasuredWindow.StartingAfter(options.Warmup, options.Duration);
        var sets = new RecorderSet[concurrency];
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var set = sets[w] = new RecorderSet(window, live);
            var body = makeWorker(w);
            workers[w] = Task.Run(async () =>
            {
                while (!window.IsOver && !hardStop.IsCancellationRequested)
                {
                    await body(set, hardStop.Token);
                }
            }, CancellationToken.None);
        }

        var note = await JoinAsync(workers, window.Remaining + options.Timeout + DrainGrace, hardStop);
        return (sets, window, note);
    }

    /// <summary>Waits for <paramref name="tasks"/> at most <paramref name="bound"/>, then cancels them and waits a little more.</summary>
    private static async Task<string?> JoinAsync(Task[] tasks, TimeSpan bound, CancellationTokenSource stop)
    {
        var all = Task.WhenAll(tasks);
        try
        {
            await all.WaitAsync(bound);
            return null;
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync();
            try
            {
                await all.WaitAsync(DrainGrace);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return $"{tasks.Count(t => !t.IsCompleted)} workers were still running {bound.TotalSeconds:0}s after the window and were abandoned";
            }

            return "some calls were still in flight after the window and were cancelled";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return "cancelled";
        }
    }

    /// <summary>Awaits one call, recording its latency or its error; returns false on error.</summary>
    private static async Task<(bool Ok, T Value)> TimedAsync<T>(OperationRecorder recorder, long start, Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            var value = await call;
            recorder.Success(start);
            return (true, value);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Error(start, e);
            return (false, default!);
        }
        catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            // The run is stopping: a cancelled call is neither a result nor an error.
            return (false, default!);
        }
    }

    private ScenarioResult Result(IEnumerable<RecorderSet> sets, MeasuredWindow window, IReadOnlyDictionary<string, double>? details = null, params string?[] notes) => new()
    {
        Target = options.Target switch { TargetKind.Etcd => "etcd", TargetKind.ControlPlaneGrpc => "controlplane-grpc", _ => "controlplane" },
        Scenario = options.Scenario.ToString().ToLowerInvariant(),
        Concurrency = options.Concurrency,
        ValueSize = options.ValueSize,
        Keys = options.Keys,
        WindowSeconds = Math.Round(window.Length.TotalSeconds, 3),
        Operations = RecorderSet.Merge(sets, window.Length),
        Details = details ?? new Dictionary<string, double>(),
        Notes = [.. notes.OfType<string>()],
        ClientCpuSeconds = Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 2),
        ClientServerGc = GCSettings.IsServerGC,
    };

    /// <summary>Makes sure every key of the key space exists (gets, lists and the mix read them), within a bound.</summary>
    private async Task PopulateAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Max(120, options.Keys / 50.0) * Stopwatch.Frequency);
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(64, options.Keys)).Select(w => Task.Run(async () =>
        {
            int key;
            while ((key = Interlocked.Increment(ref next)) < options.Keys)
            {
                for (var attempt = 1; ; attempt++)
                {
                    if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"populating {options.Keys} keys did not finish in time (reached key {key})");
                    try
                    {
                        var name = BenchObjects.Name(key);
                        await target.PutAsync(w, name, BenchObjects.Build(name, 0, Stopwatch.GetTimestamp(), options.ValueSize), cancellationToken);
                        break;
                    }
                    catch (Exception) when (attempt < 5 && !cancellationToken.IsCancellationRequested)
                    {
                        await Task.Delay(100 * attempt, cancellationToken);
                    }
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
    }
}
