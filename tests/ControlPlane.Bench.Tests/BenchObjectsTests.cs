using System.Text.Json;
using ControlPlane.Bench.Scenarios;

namespace ControlPlane.Bench.Tests;

public class BenchObjectsTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Build_MakesValidJsonOfTheAskedSize(int size)
    {
        var json = BenchObjects.Build("obj-000042", 7, 123_456_789, size);
        Assert.Equal(size, json.Length);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(BenchObjects.Kind, root.GetProperty("kind").GetString());
        Assert.Equal("obj-000042", root.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(123_456_789, root.GetProperty("spec").GetProperty("sentAt").GetInt64());
        Assert.Equal(7, root.GetProperty("spec").GetProperty("seq").GetInt64());
    }

    [Fact]
    public void Build_NeverTruncatesTheFixedFields_WhenTheSizeIsTooSmall()
    {
        var json = BenchObjects.Build("obj-000001", 1, 1, 64);
        Assert.True(json.Length > 64);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(string.Empty, document.RootElement.GetProperty("spec").GetProperty("data").GetString());
    }

    [Fact]
    public void Stamp_RoundTrips_AndIsFoundInAServerRewrittenObject()
    {
        Assert.True(BenchObjects.TryReadStamp(BenchObjects.Build("obj-000001", 4242, 987_654_321_012, 300), out var sentAt, out var sequence));
        Assert.Equal((987_654_321_012, 4242), (sentAt, sequence));

        // A server may reorder members: seq is then found by its own search.
        var rewritten = """{"apiVersion":"v1","kind":"BenchObject","metadata":{"name":"a","resourceVersion":"4711","uid":"u"},"spec":{"seq":1,"data":"x","sentAt":55}}"""u8;
        Assert.True(BenchObjects.TryReadStamp(rewritten, out sentAt, out sequence));
        Assert.Equal((55, 1), (sentAt, sequence));
        Assert.True(BenchObjects.TryReadResourceVersion(rewritten, out var version));
        Assert.Equal(4711, version);
        Assert.False(BenchObjects.TryReadResourceVersion("""{"metadata":{}}"""u8, out _));
    }

    [Fact]
    public void Stamp_WithoutSeq_ReportsMinusOne_AndWithoutSentAt_IsNotFound()
    {
        Assert.True(BenchObjects.TryReadStamp("""{"spec":{"sentAt":7,"data":"x"}}"""u8, out var sentAt, out var sequence));
        Assert.Equal((7, -1), (sentAt, sequence));
        Assert.False(BenchObjects.TryReadStamp("""{"spec":{"seq":3}}"""u8, out _, out _));
    }

    [Fact]
    public void Names_AreFixedWidth() => Assert.Equal("obj-000042", BenchObjects.Name(42));
}
