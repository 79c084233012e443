using ControlPlane.Client;

namespace ControlPlane.Testing.Watch;

/// <summary>
/// What one watcher received, in order: its filter, where it started (exclusive; null for "from now"), every message,
/// and every point where it resumed (a new watch from its last position). Thread-safe to record into.
/// </summary>
public sealed class WatchRecording(string name, WatchFilter filter, long? start)
{
    private readonly Lock _lock = new();
    private readonly List<WatchRecordingEntry> _entries = [];
    private readonly HashSet<string> _endpoints = new(StringComparer.Ordinal);
    private long? _lastPosition = start;
    private int _events;

    public string Name { get; } = name;

    public WatchFilter Filter { get; } = filter;

    public long? Start { get; } = start;

    public IReadOnlyList<WatchRecordingEntry> Entries
    {
        get
        {
            lock (_lock) return [.. _entries];
        }
    }

    /// <summary>The last position received (event or bookmark), else the start.</summary>
    public long? LastPosition
    {
        get
        {
            lock (_lock) return _lastPosition;
        }
    }

    public int EventCount
    {
        get
        {
            lock (_lock) return _events;
        }
    }

    /// <summary>The members that served the SDK batches recorded (more than one means the watch failed over).</summary>
    public IReadOnlySet<string> Endpoints
    {
        get
        {
            lock (_lock) return new HashSet<string>(_endpoints, StringComparer.Ordinal);
        }
    }

    public void Record(ObservedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            _entries.Add(new WatchRecordingEntry(message, null));
            _lastPosition = message.ResourceVersion;
            _events += message.Events.Count;
        }
    }

    public void Record(WatchEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var message = ObservedMessage.FromBatch(batch);
        lock (_lock) _endpoints.Add(batch.Endpoint);
        Record(message);
    }

    /// <summary>The watcher opened a new watch from <paramref name="from"/> (exclusive).</summary>
    public void Resumed(long from)
    {
        lock (_lock) _entries.Add(new WatchRecordingEntry(null, from));
    }

    public override string ToString() => $"{Name} ({Filter}, from {Start?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "now"})";
}
