namespace ControlPlane.Storage.Watch;

/// <summary>Bounds for watch history and for each watcher's queue.</summary>
public sealed class WatchHubOptions
{
    /// <summary>Committed changes kept for resuming watches. Default 10,000.</summary>
    public int HistoryMaxEvents { get; set; } = 10_000;

    /// <summary>How long a change stays resumable. Default 10 minutes.</summary>
    public TimeSpan HistoryMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A watcher with more undelivered messages than this is ended with ResourceExhausted. Default 4,096.</summary>
    public int WatcherMaxQueuedMessages { get; set; } = 4096;

    /// <summary>A watcher holding more undelivered object bytes than this is ended with ResourceExhausted. Default 32 MiB.</summary>
    public long WatcherMaxQueuedBytes { get; set; } = 32L << 20;
}
