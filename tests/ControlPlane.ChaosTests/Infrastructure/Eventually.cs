using System.Diagnostics;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>Waits on a condition with a deadline; a timeout names what was expected and what was seen last.</summary>
public static class Eventually
{
    private static readonly TimeSpan _interval = TimeSpan.FromMilliseconds(200);

    public static async Task<T> UntilAsync<T>(
        string expected,
        TimeSpan timeout,
        Func<CancellationToken, Task<ProbeResult<T>>> probe,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seen = "nothing yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await probe(cancellationToken);
            if (result.Done)
            {
                return result.Value!;
            }

            seen = result.Seen;
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"Expected {expected} within {timeout.TotalSeconds:0.#} s; after {clock.Elapsed.TotalSeconds:0.#} s saw: {seen}");
            }

            await Task.Delay(_interval, cancellationToken);
        }
    }
}
