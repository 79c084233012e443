using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Testing.Watch;

/// <summary>One watch message as received: the events of one commit, or a bookmark.</summary>
public sealed record ObservedMessage(long ResourceVersion, bool IsBookmark, IReadOnlyList<ObservedEvent> Events)
{
    public static ObservedMessage Bookmark(long resourceVersion) => new(resourceVersion, true, []);

    /// <summary>What the SDK delivered, as the validator reads it.</summary>
    /// <exception cref="FormatException">The batch or one of its objects is malformed.</exception>
    public static ObservedMessage FromBatch(WatchEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!long.TryParse(batch.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            throw new FormatException($"batch resourceVersion \"{batch.ResourceVersion}\" is not a number");
        var events = new List<ObservedEvent>(batch.Events.Count);
        foreach (var e in batch.Events)
        {
            var type = e.Type switch
            {
                WatchEventType.Added => ObservedEventType.Added,
                WatchEventType.Modified => ObservedEventType.Modified,
                WatchEventType.Deleted => ObservedEventType.Deleted,
                _ => throw new FormatException($"event type {e.Type} at {rv}"),
            };
            events.Add(new ObservedEvent(type, ObservedObject.FromJson(e.Object), e.PreviousObject is null ? null : ObservedObject.FromJson(e.PreviousObject)));
        }

        return new ObservedMessage(rv, batch.IsBookmark, events);
    }

    /// <summary>A raw gRPC watch message, as the validator reads it.</summary>
    /// <exception cref="FormatException">The message or one of its objects is malformed.</exception>
    public static ObservedMessage FromProto(WatchResourcesResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!long.TryParse(message.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            throw new FormatException($"message resourceVersion \"{message.ResourceVersion}\" is not a number");
        var events = new List<ObservedEvent>(message.Events.Count);
        foreach (var e in message.Events)
        {
            var type = e.Type switch
            {
                EventType.Added => ObservedEventType.Added,
                EventType.Modified => ObservedEventType.Modified,
                EventType.Deleted => ObservedEventType.Deleted,
                _ => throw new FormatException($"event type {e.Type} at {rv}"),
            };
            events.Add(new ObservedEvent(type, Parse(e.Object.Span), e.PreviousObject.IsEmpty ? null : Parse(e.PreviousObject.Span)));
        }

        return new ObservedMessage(rv, message.Bookmark, events);
    }

    public override string ToString() => IsBookmark ? $"bookmark@{ResourceVersion}" : $"@{ResourceVersion} [{string.Join("; ", Events)}]";

    private static ObservedObject Parse(ReadOnlySpan<byte> json) =>
        ObservedObject.FromJson(JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a watch event object that is not a JSON object"));
}
