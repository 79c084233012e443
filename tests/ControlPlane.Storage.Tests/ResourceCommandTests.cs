using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.Storage.Tests;

public sealed class ResourceCommandTests
{
    private static ResourceCommand From(WriteKind kind, JsonNode? body) => ResourceCommand.FromRequest(
        new WriteRequest
        {
            Kind = kind,
            Key = TestCommands.Key("a"),
            Body = WriteRequest.Json(body),
            ExpectedResourceVersion = 7,
            CreateOnly = true,
            Reason = Reason.Scheduler,
            RequestId = "req-1",
            Principal = "alice",
        },
        "uid-1",
        TestCommands.T0,
        4096);

    [Fact]
    public void FromRequest_Put_CarriesRequestAndStamps()
    {
        var command = From(WriteKind.Put, TestCommands.Widget("a"));

        Assert.Equal(WriteKind.Put, command.Kind);
        Assert.Equal(TestCommands.Key("a"), command.Key);
        Assert.Equal(7, command.ExpectedResourceVersion);
        Assert.True(command.CreateOnly);
        Assert.Equal(Reason.Scheduler, command.Reason);
        Assert.Equal("req-1", command.RequestId);
        Assert.Equal("alice", command.Principal);
        Assert.Equal("uid-1", command.Uid);
        Assert.Equal(TestCommands.T0, command.TimestampMs);
        Assert.Equal(4096, command.MaxObjectBytes);
        StateAssert.JsonEqual(TestCommands.Widget("a").ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(command.Body.Span));
    }

    [Fact]
    public void FromRequest_DeleteWithoutBody_EmptyBody()
    {
        Assert.True(From(WriteKind.Delete, null).Body.IsEmpty);
    }

    [Fact]
    public void FromRequest_UpdateStatusWithoutBody_NullStatus()
    {
        var command = From(WriteKind.UpdateStatus, null);

        Assert.Equal("null", Encoding.UTF8.GetString(command.Body.Span));
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(command.Body.Span));
    }
}
