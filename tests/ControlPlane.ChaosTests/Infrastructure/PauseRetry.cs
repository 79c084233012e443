using Docker.DotNet;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Docker's pause fails with "OCI runtime pause failed: unable to freeze" when the cgroup freezer does not settle
/// within runc's wait, typically because a process of the member is in uninterruptible sleep (inside fsync) at that
/// moment. runc thaws the cgroup again before it reports this (cgroup v1, runc 1.1 here), so the member keeps running
/// and the pause can be asked for again. Seen once in a full chaos run on this host; any other error is not retried.
/// </summary>
public static class PauseRetry
{
    public const int Attempts = 3;

    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    public static bool IsFreezeFailure(Exception e) =>
        e is DockerApiException api && (api.ResponseBody ?? api.Message).Contains("unable to freeze", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Runs <paramref name="pause"/>, asking again after a freeze failure, at most <see cref="Attempts"/> times,
    /// <paramref name="delay"/> apart (<see cref="Delay"/> unless given).
    /// </summary>
    public static async Task RunAsync(Func<CancellationToken, Task> pause, Action<string> note, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        var wait = delay ?? Delay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await pause(cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < Attempts && IsFreezeFailure(e))
            {
                note($"pause attempt {attempt} of {Attempts} failed ({e.Message.Trim()}); asking again in {wait.TotalMilliseconds:0} ms");
                await Task.Delay(wait, cancellationToken);
            }
        }
    }
}
