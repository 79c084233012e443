using System.Diagnostics;
using ControlPlane.Bench.Cli;
using ControlPlane.Bench.Measurement;
using ControlPlane.Bench.Scenarios;
using ControlPlane.Bench.Targets;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"cpbench: {e.Message}\nrun 'cpbench help' for usage");
    return 2;
}

if (options.Command == CommandKind.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

await using IBenchTarget target = options.Target switch
{
    TargetKind.Etcd => new EtcdTarget(options.Endpoints, options.Timeout),
    TargetKind.ControlPlaneGrpc => new ControlPlaneGrpcTarget(options.Endpoints, options.Timeout),
    _ => new ControlPlaneTarget(options.Endpoints, options.Timeout),
};

if (options.Command == CommandKind.Wait)
{
    return await ReadinessProbe.WaitAsync(target, options.Endpoints, options.Timeout, interrupted.Token) ? 0 : 1;
}

var live = new LiveCounters();
ScenarioResult result;
var started = Stopwatch.GetTimestamp();
await using (ProgressLine.StartIfTerminal(options.Progress, $"{options.Target} {options.Scenario}", live))
{
    try
    {
        result = await new ScenarioRunner(options, target, live).RunAsync(interrupted.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException || !interrupted.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync($"cpbench: the {options.Scenario} scenario against {options.Target} failed after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s: {e.GetType().Name}: {e.Message}");
        return 1;
    }
}

Console.Write(ResultPrinter.ToTable(result));
if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, ResultPrinter.ToJson(result));
}

return 0;
