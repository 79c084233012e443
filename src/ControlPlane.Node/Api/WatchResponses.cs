using System.Globalization;
using System.Runtime.CompilerServices;
using ControlPlane.Contracts.V1;
using WatchMessage = ControlPlane.Core.Watch.WatchMessage;
using WatchEventType = ControlPlane.Core.Watch.WatchEventType;

namespace ControlPlane.Node.Api;

/// <summary>
/// The gRPC form of watch messages, built once per message instance. The watch hub hands the same message instance to
/// every watcher that receives the same event of a commit, so a commit fanned out to a thousand watchers is converted
/// once; each stream then only serializes the shared response (protobuf messages are safe to serialize concurrently
/// when nobody mutates them, and nobody does after this builds them). Entries live as long as the message does.
/// </summary>
internal static class WatchResponses
{
    private static readonly ConditionalWeakTable<WatchMessage, WatchResourcesResponse> Cache = [];

    public static WatchResourcesResponse For(WatchMessage message) =>
        message.IsBookmark ? Build(message) : Cache.GetValue(message, Build);

    private static WatchResourcesResponse Build(WatchMessage message)
    {
        var response = new WatchResourcesResponse { ResourceVersion = message.ResourceVersion.ToString(CultureInfo.InvariantCulture), Bookmark = message.IsBookmark };
        foreach (var e in message.Events)
        {
            response.Events.Add(new Contracts.V1.WatchEvent
            {
                Type = e.Type switch { WatchEventType.Added => EventType.Added, WatchEventType.Modified => EventType.Modified, _ => EventType.Deleted },
                Object = ApiConversions.ToBytes(e.Object),
                PreviousObject = e.Previous is null ? Google.Protobuf.ByteString.Empty : ApiConversions.ToBytes(e.Previous),
            });
        }

        return response;
    }
}
