using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Testing;

/// <summary>Waits for a condition with a deadline: the replacement for sleeps that hope.</summary>
public static class Eventually
{
    private static readonly TimeSpan _firstDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan _maxDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Checks <paramref name="condition"/> until it returns true, at least once, backing off from 10 ms to 200 ms
    /// between checks. After <paramref name="timeout"/> it throws <see cref="TimeoutException"/> with
    /// <paramref name="describe"/>'s text, which should say what was expected and what was last seen.
    /// An exception thrown by the condition ends the wait at once: catch transient errors inside it.
    /// </summary>
    public static async Task WaitAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);

        var stopwatch = Stopwatch.StartNew();
        var delay = _firstDelay;
        var checks = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            checks++;
            if (await condition())
            {
                return;
            }

            var remaining = timeout - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                throw new TimeoutException($"Not reached within {seconds} s ({checks} checks): {describe()}");
            }

            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
            delay = delay * 2 < _maxDelay ? delay * 2 : _maxDelay;
        }
    }
}
