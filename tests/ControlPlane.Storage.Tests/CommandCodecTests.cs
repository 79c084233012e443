using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ControlPlane.Storage.Tests;

public sealed class CommandCodecTests
{
    /// <summary>Where the fixed header keeps the reason and flags bytes, and where the first string starts.</summary>
    private const int ReasonOffset = 3;
    private const int FlagsOffset = 4;
    private const int FirstStringOffset = 25;

    public static TheoryData<WriteKind, Reason> KindsAndReasons()
    {
        var data = new TheoryData<WriteKind, Reason>();
        foreach (var kind in Enum.GetValues<WriteKind>())
        {
            foreach (var reason in Enum.GetValues<Reason>()) data.Add(kind, reason);
        }

        return data;
    }

    /// <summary>A command with every field set to something unusual.</summary>
    private static ResourceCommand Full(WriteKind kind = WriteKind.Put, Reason reason = Reason.Controller) => new()
    {
        Kind = kind,
        Key = new ResourceKey("apps.example.io", "v1beta2", "Déploiement", "équipe-日本", "名前-🚀"),
        Body = Encoding.UTF8.GetBytes("""{"spec":{"text":"ünïcødé ✓ 🚀","n":-1.5e10}}"""),
        ExpectedResourceVersion = long.MaxValue,
        CreateOnly = reason is Reason.Controller or Reason.Admission,
        Reason = reason,
        RequestId = "req-Ω-42",
        Principal = "système:admin 👤",
        Uid = "0f8fad5b-d9cb-469f-a165-70867728950e",
        TimestampMs = -62_135_596_800_000,
        MaxObjectBytes = int.MaxValue,
    };

    private static void AssertSameCommand(ResourceCommand expected, ResourceCommand actual)
    {
        Assert.Equal(expected with { Body = default }, actual with { Body = default });
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
    }

    private static ResourceCommand RoundTrip(ResourceCommand command) => CommandCodec.Decode(new ReadOnlySequence<byte>(CommandCodec.Encode(command)));

    [Theory]
    [MemberData(nameof(KindsAndReasons))]
    public void Decode_EncodedCommand_EveryFieldRoundTrips(WriteKind kind, Reason reason)
    {
        var command = Full(kind, reason);

        AssertSameCommand(command, RoundTrip(command));
    }

    /// <summary>Group, version, kind and namespace come back as the strings decoded before; the name does not.</summary>
    [Fact]
    public void Decode_TheSameNamesAgain_ReusesTheirStrings()
    {
        var first = RoundTrip(Full()).Key;
        var second = RoundTrip(Full()).Key;

        Assert.Same(first.Group, second.Group);
        Assert.Same(first.Version, second.Version);
        Assert.Same(first.Kind, second.Kind);
        Assert.Same(first.Namespace, second.Namespace);
        Assert.NotSame(first.Name, second.Name);
    }

    /// <summary>Past the bound of remembered names, names are still decoded exactly.</summary>
    [Fact]
    public void Decode_MoreDistinctNamespacesThanRemembered_EachRoundTrips()
    {
        for (var i = 0; i < 5000; i++)
        {
            var command = Full() with { Key = Full().Key with { Namespace = $"team-{i}" } };
            AssertSameCommand(command, RoundTrip(command));
        }
    }

    [Fact]
    public void Decode_EmptyStringsAndBody_RoundTrips()
    {
        var command = new ResourceCommand
        {
            Kind = WriteKind.Delete,
            Key = new ResourceKey(string.Empty, "v1", "Node", string.Empty, "n1"),
            Uid = string.Empty,
            TimestampMs = 0,
            MaxObjectBytes = 0,
        };

        var decoded = RoundTrip(command);

        AssertSameCommand(command, decoded);
        Assert.True(decoded.Body.IsEmpty);
    }

    [Fact]
    public void Decode_LargeBody_RoundTrips()
    {
        var body = new byte[4 * 1024 * 1024 + 3];
        new Random(7).NextBytes(body);
        var command = Full() with { Body = body };

        AssertSameCommand(command, RoundTrip(command));
    }

    [Fact]
    public void Encode_ToBufferWriter_AppendsTheSameBytes()
    {
        var command = Full();
        var writer = new ArrayBufferWriter<byte>(1);
        writer.Write(new byte[] { 9, 9 });

        CommandCodec.Encode(command, writer);

        Assert.Equal([9, 9, .. CommandCodec.Encode(command)], writer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Decode_MultiSegmentSequence_RoundTrips(int segmentSize)
    {
        var command = Full() with { Body = Encoding.UTF8.GetBytes(new string('ü', 300)) };
        var sequence = BufferSegment.Split(CommandCodec.Encode(command), segmentSize);
        Assert.False(sequence.IsSingleSegment);

        AssertSameCommand(command, CommandCodec.Decode(sequence));
    }

    [Fact]
    public void Decode_EveryTruncation_InvalidData()
    {
        var bytes = CommandCodec.Encode(Full());

        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = new ReadOnlySequence<byte>(bytes, 0, length);
            var e = Record.Exception(() => CommandCodec.Decode(truncated));
            Assert.True(e is InvalidDataException, $"a command cut to {length} of {bytes.Length} bytes gave {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Theory]
    [InlineData(0, 0x43 ^ 0xff, "magic")]
    [InlineData(1, 0, "unknown command format 0")]
    [InlineData(1, 2, "unknown command format 2")]
    [InlineData(2, 0, "unknown command kind 0")]
    [InlineData(2, 5, "unknown command kind 5")]
    [InlineData(2, 255, "unknown command kind 255")]
    [InlineData(ReasonOffset, 0, "unknown command reason 0")]
    [InlineData(ReasonOffset, 6, "unknown command reason 6")]
    [InlineData(FlagsOffset, 2, "unknown command flags")]
    [InlineData(FirstStringOffset + 3, 0x80, "string truncated")]
    public void Decode_CorruptHeaderByte_InvalidDataNamingIt(int offset, byte value, string expected)
    {
        var bytes = CommandCodec.Encode(Full());
        bytes[offset] = value;

        var e = Assert.Throws<InvalidDataException>(() => CommandCodec.Decode(new ReadOnlySequence<byte>(bytes)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NegativeBodyLength_InvalidData()
    {
        var command = Full() with { Body = Encoding.UTF8.GetBytes("{}") };
        var bytes = CommandCodec.Encode(command);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 6), -2);

        var e = Assert.Throws<InvalidDataException>(() => CommandCodec.Decode(new ReadOnlySequence<byte>(bytes)));
        Assert.Contains("body truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void Decode_TrailingBytes_InvalidData(int extra)
    {
        var bytes = CommandCodec.Encode(Full()).Concat(new byte[extra]).ToArray();

        var e = Assert.Throws<InvalidDataException>(() => CommandCodec.Decode(new ReadOnlySequence<byte>(bytes)));
        Assert.Contains("trailing bytes", e.Message, StringComparison.Ordinal);
    }
}
