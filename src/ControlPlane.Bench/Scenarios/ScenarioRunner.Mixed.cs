using System.Diagnostics;
using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Scenarios;

public sealed partial class ScenarioRunner
{
    /// <summary>
    /// A Kubernetes-like mix per operation drawn: 50 % read-modify-write (a linearizable get, then an update
    /// that expects the version read: a conflict when another client won), 35 % get, 13 % list (one page),
    /// 2 % list-then-watch (list, then watch from the list's revision until the server confirms the watch).
    /// </summary>
    private async Task<ScenarioResult> MixedAsync(CancellationToken cancellationToken)
    {
        await PopulateAsync(cancellationToken);
        var (sets, window, note) = await ClosedLoopAsync(options.Concurrency, w =>
        {
            var random = new Random(w);
            long sequence = 0;
            return async (set, ct) =>
            {
                var draw = random.Next(100);
                var name = BenchObjects.Name(random.Next(options.Keys));
                if (draw < 85)
                {
                    var start = Stopwatch.GetTimestamp();
                    var (ok, read) = await TimedAsync(set["get"], start, target.GetAsync(w, name, linearizable: true, ct), ct);
                    if (draw >= 50 || !ok || !read.Found) return;
                    start = Stopwatch.GetTimestamp();
                    var body = BenchObjects.Build(name, ++sequence, start, options.ValueSize);
                    await UpdateAsync(set["update"], start, w, name, body, read.Version, ct);
                }
                else if (draw < 98)
                {
                    var start = Stopwatch.GetTimestamp();
                    await TimedAsync(set["list"], start, target.ListAsync(w, options.PageSize, linearizable: true, ct), ct);
                }
                else
                {
                    await ListThenWatchAsync(set["list-watch"], w, ct);
                }
            };
        }, cancellationToken);
        var details = new Dictionary<string, double> { ["pageSize"] = options.PageSize };
        return Result(sets, window, details, note);
    }

    private async Task UpdateAsync(OperationRecorder recorder, long start, int client, string name, byte[] body, long expected, CancellationToken cancellationToken)
    {
        var (ok, result) = await TimedAsync(recorder, start, target.UpdateAsync(client, name, body, expected, cancellationToken), cancellationToken);
        if (ok && !result.Succeeded) recorder.Conflict(start);
    }

    /// <summary>What an informer does when it starts: list, then watch from the list's revision until established.</summary>
    private async Task ListThenWatchAsync(OperationRecorder recorder, int client, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.Timeout);
        try
        {
            var page = await target.ListAsync(client, options.PageSize, linearizable: true, bounded.Token);
            var established = false;
            await foreach (var delivery in target.WatchAsync(client, page.Revision, bounded.Token))
            {
                if (established = delivery.Established) break;
            }

            if (established) recorder.Success(start);
            else recorder.Error(start, new InvalidOperationException("the watch stream ended before the server confirmed it"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Error(start, e);
        }
        catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            // The run is stopping.
        }
    }
}
