using System.Diagnostics;
using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Scenarios;

public sealed partial class ScenarioRunner
{
    /// <summary>Worker w writes keys w, w+C, w+2C, ... round and round: its first pass creates, later passes replace.</summary>
    private async Task<ScenarioResult> PutAsync(CancellationToken cancellationToken)
    {
        var concurrency = options.Concurrency;
        var (sets, window, note) = await ClosedLoopAsync(concurrency, w =>
        {
            var key = w;
            long sequence = 0;
            return async (set, ct) =>
            {
                var name = BenchObjects.Name(key);
                key = key + concurrency < options.Keys ? key + concurrency : w % options.Keys;
                var start = Stopwatch.GetTimestamp();
                var body = BenchObjects.Build(name, ++sequence, start, options.ValueSize);
                await TimedAsync(set["put"], start, target.PutAsync(w, name, body, ct), ct);
            };
        }, cancellationToken);
        return Result(sets, window, null, note);
    }

    /// <summary>Reads random existing keys.</summary>
    private async Task<ScenarioResult> GetAsync(CancellationToken cancellationToken)
    {
        await PopulateAsync(cancellationToken);
        var operation = options.LinearizableReads ? "get-linearizable" : "get-local";
        var missing = 0L;
        var (sets, window, note) = await ClosedLoopAsync(options.Concurrency, w =>
        {
            var random = new Random(w);
            return async (set, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                var (ok, read) = await TimedAsync(set[operation], start, target.GetAsync(w, BenchObjects.Name(random.Next(options.Keys)), options.LinearizableReads, ct), ct);
                if (ok && !read.Found) Interlocked.Increment(ref missing);
            };
        }, cancellationToken);
        return Result(sets, window, null, note, missing > 0 ? $"{missing} reads found no object (the key space was populated first)" : null);
    }

    /// <summary>Reads the first page of the whole kind.</summary>
    private async Task<ScenarioResult> ListAsync(CancellationToken cancellationToken)
    {
        await PopulateAsync(cancellationToken);
        var operation = options.LinearizableReads ? "list-linearizable" : "list-local";
        long items = 0, pages = 0;
        var (sets, window, note) = await ClosedLoopAsync(options.Concurrency, w => async (set, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            var (ok, page) = await TimedAsync(set[operation], start, target.ListAsync(w, options.PageSize, options.LinearizableReads, ct), ct);
            if (!ok) return;
            Interlocked.Add(ref items, page.Count);
            Interlocked.Increment(ref pages);
        }, cancellationToken);
        var details = new Dictionary<string, double> { ["itemsPerPage"] = pages == 0 ? 0 : Math.Round((double)items / pages, 1) };
        return Result(sets, window, details, note);
    }

    /// <summary>Creates keys 0..Keys-1 once each with all workers, then stops; --duration caps the time.</summary>
    private async Task<ScenarioResult> FillAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var window = MeasuredWindow.Between(start, start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency));
        var next = -1;
        var sets = new RecorderSet[options.Concurrency];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Task[options.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            var set = sets[w] = new RecorderSet(window, live);
            var client = w;
            workers[w] = Task.Run(async () =>
            {
                int key;
                while (!window.IsOver && !stop.IsCancellationRequested && (key = Interlocked.Increment(ref next)) < options.Keys)
                {
                    var name = BenchObjects.Name(key);
                    var began = Stopwatch.GetTimestamp();
                    await TimedAsync(set["create"], began, target.PutAsync(client, name, BenchObjects.Build(name, 1, began, options.ValueSize), stop.Token), stop.Token);
                }
            }, CancellationToken.None);
        }

        var note = await JoinAsync(workers, options.Duration + options.Timeout + DrainGrace, stop);
        var end = Stopwatch.GetTimestamp();
        var written = Math.Min(next, options.Keys);
        var finished = written >= options.Keys;
        var details = new Dictionary<string, double> { ["objects"] = written, ["finished"] = finished ? 1 : 0 };
        return Result(sets, MeasuredWindow.Between(start, end), details, note, finished ? null : $"stopped after --duration with {written} of {options.Keys} objects written");
    }
}
