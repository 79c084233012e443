using System.Diagnostics;
using ControlPlane.Bench.Scenarios;

namespace ControlPlane.Bench.Targets;

/// <summary>Waits until a write through every endpoint succeeds: the cluster has a leader and serves clients.</summary>
public static class ReadinessProbe
{
    public static async Task<bool> WaitAsync(IBenchTarget target, IReadOnlyList<Uri> endpoints, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        for (var client = 0; client < endpoints.Count; client++)
        {
            Exception? last = null;
            while (true)
            {
                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attempt.CancelAfter(TimeSpan.FromSeconds(5));
                    const string name = "readiness-probe";
                    await target.PutAsync(client, name, BenchObjects.Build(name, 0, 0, 64), attempt.Token);
                    break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    last = e;
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    await Console.Error.WriteLineAsync($"cpbench wait: {endpoints[client]} did not accept a write within {timeout.TotalSeconds:0}s; last error: {last?.Message}");
                    return false;
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        Console.WriteLine($"cpbench wait: all {endpoints.Count} endpoints accept writes");
        return true;
    }
}
