namespace ControlPlane.Controllers.Runtime;

/// <summary>How the leader-gated host starts and stops controllers (section ControlPlane:Controllers).</summary>
public sealed class ControllerHostOptions
{
    public const string Section = "ControlPlane:Controllers";

    /// <summary>
    /// How long in-flight reconciles get to finish when leadership is lost or the host stops, before they are
    /// abandoned (and, at host stop, cancelled). Keep it at most one election timeout so a deposed leader has
    /// stopped before a successor can have started. Default 500 ms.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First pause before retrying a failed list (the store unavailable while still leading). Default 100 ms.</summary>
    public TimeSpan ListRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest pause between list retries. Default 5 s.</summary>
    public TimeSpan ListRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (StopTimeout <= TimeSpan.Zero) throw new ArgumentException($"{Section}: StopTimeout must be positive, got {StopTimeout}");
        if (ListRetryBaseDelay <= TimeSpan.Zero) throw new ArgumentException($"{Section}: ListRetryBaseDelay must be positive, got {ListRetryBaseDelay}");
        if (ListRetryMaxDelay < ListRetryBaseDelay)
        {
            throw new ArgumentException($"{Section}: ListRetryMaxDelay ({ListRetryMaxDelay}) must be at least ListRetryBaseDelay ({ListRetryBaseDelay})");
        }
    }
}
