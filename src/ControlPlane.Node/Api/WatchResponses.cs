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

    /// <summary>Most object bytes one coalesced message carries (it always carries at least one whole commit).</summary>
    public const int CoalescedBytes = 256 * 1024;

    /// <summary>
    /// <paramref name="first"/> followed by the events of the commits already queued behind it, in one message whose
    /// resourceVersion is the last of them, up to <see cref="CoalescedBytes"/>. Takes only reads that completed at once:
    /// what queued while the stream waited for the reader or for <see cref="WatchPacer"/>. <paramref name="next"/> is
    /// the read after <paramref name="first"/>; on return it is the read to await next: when merging stopped at a
    /// bookmark or at the end of the stream, a completed read saying so (the reader's Current is then still that
    /// bookmark).
    /// </summary>
    public static WatchResourcesResponse Coalesce(WatchResourcesResponse first, IAsyncEnumerator<WatchMessage> reader, ref ValueTask<bool> next)
    {
        WatchResourcesResponse? merged = null;
        var bytes = Size(first);
        while (bytes < CoalescedBytes && next.IsCompletedSuccessfully)
        {
            var more = next.Result;
            if (!more || reader.Current.IsBookmark)
            {
                next = new ValueTask<bool>(more);
                break;
            }

            var following = For(reader.Current);
            merged ??= new WatchResourcesResponse { Events = { first.Events } };
            merged.Events.Add(following.Events);
            merged.ResourceVersion = following.ResourceVersion;
            bytes += Size(following);
            next = reader.MoveNextAsync();
        }

        return merged ?? first;
    }

    private static long Size(WatchResourcesResponse response)
    {
        var bytes = 0L;
        foreach (var e in response.Events) bytes += e.Object.Length + e.PreviousObject.Length;
        return bytes;
    }

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
