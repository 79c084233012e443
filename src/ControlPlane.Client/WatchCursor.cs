using System.Globalization;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Client;

/// <summary>
/// Where a watch stands: the last resourceVersion delivered (event or bookmark). Turns server messages into batches
/// and drops what a resumed member sends again at or below that position, so the caller never sees an event twice.
/// </summary>
internal sealed class WatchCursor(long? start, bool deliverBookmarks)
{
    private bool _deliveredAny;

    /// <summary>The exclusive position to resume from; null while a watch "from now" has received nothing.</summary>
    public long? Position { get; private set; } = start;

    /// <summary>The position as the server spells it; empty for "from now".</summary>
    public string PositionText => Position?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Parses a caller's start position: null or a non-negative decimal.</summary>
    /// <exception cref="ArgumentException">The text is not a decimal resourceVersion.</exception>
    public static long? ParseStart(string? text, string parameterName) =>
        string.IsNullOrEmpty(text) ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"FromResourceVersion \"{text}\" is not a resourceVersion (a non-negative decimal number, as lists and watches return)", parameterName);

    /// <summary>The batch to deliver for <paramref name="message"/>, or null when it is a repeat or an undelivered bookmark.</summary>
    /// <exception cref="ControlPlaneClientException">The message is malformed (reason Internal).</exception>
    public WatchEventBatch? Accept(WatchResourcesResponse message, string endpoint)
    {
        if (!long.TryParse(message.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            throw Malformed(endpoint, $"a watch message with resourceVersion \"{message.ResourceVersion}\", not a number");

        if (message.Bookmark)
        {
            // A bookmark behind the position says nothing new; one at the position is shown once, as "established".
            if (Position is { } at && (rv < at || (rv == at && _deliveredAny))) return null;
            Position = rv;
            if (!deliverBookmarks) return null;
            _deliveredAny = true;
            return new WatchEventBatch(message.ResourceVersion, [], true, endpoint);
        }

        if (Position is { } last && rv <= last) return null;
        if (message.Events.Count == 0) throw Malformed(endpoint, $"a watch message at {rv} with no events that is not a bookmark");
        var events = new List<WatchEvent>(message.Events.Count);
        foreach (var e in message.Events) events.Add(ToEvent(e, rv, endpoint));
        Position = rv;
        _deliveredAny = true;
        return new WatchEventBatch(message.ResourceVersion, events, false, endpoint);
    }

    private static WatchEvent ToEvent(Contracts.V1.WatchEvent e, long rv, string endpoint)
    {
        var type = e.Type switch
        {
            EventType.Added => WatchEventType.Added,
            EventType.Modified => WatchEventType.Modified,
            EventType.Deleted => WatchEventType.Deleted,
            _ => throw Malformed(endpoint, $"a watch event at {rv} of type {e.Type}"),
        };
        if (e.Object.IsEmpty) throw Malformed(endpoint, $"a {type} event at {rv} without an object");

        // Parsed on first access: a consumer that keeps or forwards the bytes never builds a DOM per event.
        return new WatchEvent(type, e.Object.Memory, e.PreviousObject.Memory, new ObjectOrigin("watch event", endpoint, rv));
    }

    private static ControlPlaneClientException Malformed(string endpoint, string what, Exception? inner = null) =>
        new(ErrorReason.Internal, $"{endpoint} sent {what}", inner) { Endpoint = endpoint };
}
