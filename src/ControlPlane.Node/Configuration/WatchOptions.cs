using System.ComponentModel.DataAnnotations;
using ControlPlane.Storage.Watch;

namespace ControlPlane.Node.Configuration;

/// <summary>Section ControlPlane:Watch: how much history a node keeps for resuming watches, and how far a watcher may fall behind.</summary>
public sealed class WatchOptions
{
    public const string Section = "ControlPlane:Watch";

    /// <summary>Committed changes kept for resuming watches; an older start fails OUT_OF_RANGE.</summary>
    [Range(1, 10_000_000)]
    public int HistoryMaxEvents { get; set; } = 10_000;

    /// <summary>How long, in seconds, a change stays resumable.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int HistoryMaxAgeSeconds { get; set; } = 600;

    /// <summary>A watcher with more undelivered messages than this is ended with RESOURCE_EXHAUSTED.</summary>
    [Range(1, 10_000_000)]
    public int WatcherMaxQueuedMessages { get; set; } = 4096;

    /// <summary>A watcher holding more undelivered object bytes than this is ended with RESOURCE_EXHAUSTED.</summary>
    [Range(1024, 1L << 40)]
    public long WatcherMaxQueuedBytes { get; set; } = 32L << 20;

    /// <summary>
    /// The most, in milliseconds, a coalescing watcher's message waits for more commits once the stream sent events
    /// less than this ago (a watcher that receives events now and then gets each at once); 0 sends every message at once.
    /// </summary>
    [Range(0, 1000)]
    public int CoalesceIntervalMs { get; set; } = 25;

    public WatchHubOptions ToHubOptions() => new()
    {
        HistoryMaxEvents = HistoryMaxEvents,
        HistoryMaxAge = TimeSpan.FromSeconds(HistoryMaxAgeSeconds),
        WatcherMaxQueuedMessages = WatcherMaxQueuedMessages,
        WatcherMaxQueuedBytes = WatcherMaxQueuedBytes,
    };
}
