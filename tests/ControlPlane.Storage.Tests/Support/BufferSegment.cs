using System.Buffers;

namespace ControlPlane.Storage.Tests.Support;

/// <summary>One piece of a multi-segment <see cref="ReadOnlySequence{T}"/>, as a network or log reader hands them out.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Splits <paramref name="data"/> into segments of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int size)
    {
        var first = new BufferSegment(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        var last = first;
        for (var offset = last.Memory.Length; offset < data.Length; offset += size)
        {
            var next = new BufferSegment(data.AsMemory(offset, Math.Min(size, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
