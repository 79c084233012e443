using System.Buffers;
using BenchmarkDotNet.Attributes;
using ControlPlane.Storage.Commands;

namespace ControlPlane.MicroBenchmarks;

/// <summary>The binary log format of a 1 KiB Put command: encode on the leader, decode on every replica.</summary>
[MemoryDiagnoser]
public class CommandCodecBenchmarks
{
    private ResourceCommand _command = null!;
    private ReadOnlySequence<byte> _encoded;
    private ArrayBufferWriter<byte> _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _command = Fixtures.Put(42, 3, "3f2a9c0e5b7d4e1f8a6b2c3d4e5f6a7b");
        _encoded = new ReadOnlySequence<byte>(CommandCodec.Encode(_command));
        _buffer = new ArrayBufferWriter<byte>(4096);
    }

    [Benchmark]
    public byte[] Encode() => CommandCodec.Encode(_command);

    [Benchmark]
    public int EncodeIntoBuffer()
    {
        _buffer.ResetWrittenCount();
        CommandCodec.Encode(_command, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public ResourceCommand Decode() => CommandCodec.Decode(_encoded);
}
