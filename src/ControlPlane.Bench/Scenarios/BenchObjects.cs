using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// The objects every scenario writes: Kubernetes-style JSON of a chosen size, carrying the client's send
/// timestamp (<c>spec.sentAt</c>, <see cref="System.Diagnostics.Stopwatch"/> ticks of this process) so a
/// watcher in the same process can measure delivery latency. etcd stores the same bytes.
/// </summary>
public static class BenchObjects
{
    public const string ApiVersion = "bench.controlplane.io/v1";
    public const string Kind = "BenchObject";
    public const string Namespace = "bench";

    private static readonly byte[] SentAtMarker = "\"sentAt\":"u8.ToArray();
    private static readonly byte[] SequenceMarker = "\"seq\":"u8.ToArray();
    private static readonly byte[] ResourceVersionMarker = "\"resourceVersion\":\""u8.ToArray();

    /// <summary>The name of key number <paramref name="key"/>: obj-000042.</summary>
    public static string Name(int key) => "obj-" + key.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Builds the JSON of an object: about <paramref name="size"/> bytes (never less than the fixed fields need).</summary>
    public static byte[] Build(string name, long sequence, long sentAt, int size)
    {
        var head = $"{{\"apiVersion\":\"{ApiVersion}\",\"kind\":\"{Kind}\",\"metadata\":{{\"name\":\"{name}\",\"namespace\":\"{Namespace}\",\"labels\":{{\"app\":\"cpbench\"}}}},\"spec\":{{\"sentAt\":{sentAt.ToString(CultureInfo.InvariantCulture)},\"seq\":{sequence.ToString(CultureInfo.InvariantCulture)},\"data\":\"";
        const string tail = "\"}}";
        var padding = Math.Max(0, size - head.Length - tail.Length);
        var bytes = new byte[head.Length + padding + tail.Length];
        Encoding.ASCII.GetBytes(head, bytes);
        bytes.AsSpan(head.Length, padding).Fill((byte)'x');
        Encoding.ASCII.GetBytes(tail, bytes.AsSpan(head.Length + padding));
        return bytes;
    }

    /// <summary>The <c>spec.sentAt</c> of an object as stored or delivered; false when absent.</summary>
    public static bool TryReadSentAt(ReadOnlySpan<byte> json, out long sentAt) => TryReadNumberAfter(json, SentAtMarker, out sentAt);

    /// <summary>The <c>spec.seq</c> of an object as stored or delivered; false when absent.</summary>
    public static bool TryReadSequence(ReadOnlySpan<byte> json, out long sequence) => TryReadNumberAfter(json, SequenceMarker, out sequence);

    /// <summary>The <c>metadata.resourceVersion</c> of a ControlPlane object; false when absent.</summary>
    public static bool TryReadResourceVersion(ReadOnlySpan<byte> json, out long version) => TryReadNumberAfter(json, ResourceVersionMarker, out version);

    private static bool TryReadNumberAfter(ReadOnlySpan<byte> json, ReadOnlySpan<byte> marker, out long value)
    {
        var at = json.IndexOf(marker);
        value = 0;
        return at >= 0 && Utf8Parser.TryParse(json[(at + marker.Length)..], out value, out _);
    }
}
