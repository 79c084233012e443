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
    /// The most, in milliseconds, a coalescing watcher's events wait to share a message once the stream sent events
    /// recently (see <see cref="CoalesceMessagesPerSecond"/>); 0 sends every commit at once.
    /// </summary>
    [Range(0, 1000)]
    public int CoalesceIntervalMs { get; set; } = 25;

    /// <summary>
    /// The rate of messages over all coalescing watch streams of a node that pacing aims at: a stream that sent events
    /// less than (coalescing streams / this) seconds ago, at most <see cref="CoalesceIntervalMs"/>, waits for the next
    /// tick and sends what gathered in one message. A few watchers are not held; a thousand on a busy kind are.
    /// </summary>
    [Range(1, 10_000_000)]
    public int CoalesceMessagesPerSecond { get; set; } = 10_000;

    public WatchHubOptions ToHubOptions() => new()
    {
        HistoryMaxEvents = HistoryMaxEvents,
        HistoryMaxAge = TimeSpan.FromSeconds(HistoryMaxAgeSeconds),
        WatcherMaxQueuedMessages = WatcherMaxQueuedMessages,
        WatcherMaxQueuedBytes = WatcherMaxQueuedBytes,
    };
}
