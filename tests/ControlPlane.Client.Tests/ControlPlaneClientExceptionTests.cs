using Grpc.Core;

namespace ControlPlane.Client.Tests;

public sealed class ControlPlaneClientExceptionTests
{
    [Fact]
    public void FromRpcException_ConflictTrailers_GiveConflictWithCurrentVersion()
    {
        var rpc = FakeCluster.Failure(StatusCode.Aborted, "goal g1: expected resourceVersion 7, stored 9",
            (ErrorTrailers.Reason, "Conflict"), (ErrorTrailers.CurrentResourceVersion, "9"));

        var error = ControlPlaneClientException.FromRpcException(rpc, "http://127.0.0.1:7101");

        var conflict = Assert.IsType<ConflictException>(error);
        Assert.Equal(ErrorReason.Conflict, conflict.Reason);
        Assert.Equal("9", conflict.CurrentResourceVersion);
        Assert.Equal("goal g1: expected resourceVersion 7, stored 9", conflict.Message);
        Assert.Equal(StatusCode.Aborted, conflict.StatusCode);
        Assert.Equal("http://127.0.0.1:7101", conflict.Endpoint);
        Assert.Same(rpc, conflict.InnerException);
    }

    [Fact]
    public void FromRpcException_UnavailableWithLeader_CarriesLeaderEndpoint()
    {
        var rpc = FakeCluster.Failure(StatusCode.Unavailable, "not the leader",
            (ErrorTrailers.Reason, "Unavailable"), (ErrorTrailers.LeaderEndpoint, "http://127.0.0.1:7103"));

        var error = Assert.IsType<UnavailableException>(ControlPlaneClientException.FromRpcException(rpc));

        Assert.Equal("http://127.0.0.1:7103", error.LeaderEndpoint);
        Assert.Null(error.CurrentResourceVersion);
    }

    [Fact]
    public void FromRpcException_ExpiredTrailers_CarryOldestVersion()
    {
        var rpc = FakeCluster.Failure(StatusCode.OutOfRange, "too old",
            (ErrorTrailers.Reason, "Expired"), (ErrorTrailers.OldestResourceVersion, "120"));

        var error = Assert.IsType<ExpiredException>(ControlPlaneClientException.FromRpcException(rpc));

        Assert.Equal("120", error.OldestResourceVersion);
    }

    [Fact]
    public void FromRpcException_ReasonTrailerWinsOverStatusCode()
    {
        // A status code alone would say Internal; the trailer names the real reason.
        var rpc = FakeCluster.Failure(StatusCode.Internal, "name is invalid", (ErrorTrailers.Reason, "Invalid"));

        Assert.IsType<InvalidException>(ControlPlaneClientException.FromRpcException(rpc));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, typeof(NotFoundException), ErrorReason.NotFound)]
    [InlineData(StatusCode.AlreadyExists, typeof(AlreadyExistsException), ErrorReason.AlreadyExists)]
    [InlineData(StatusCode.Aborted, typeof(ConflictException), ErrorReason.Conflict)]
    [InlineData(StatusCode.InvalidArgument, typeof(InvalidException), ErrorReason.Invalid)]
    [InlineData(StatusCode.Unavailable, typeof(UnavailableException), ErrorReason.Unavailable)]
    [InlineData(StatusCode.OutOfRange, typeof(ExpiredException), ErrorReason.Expired)]
    [InlineData(StatusCode.ResourceExhausted, typeof(ControlPlaneClientException), ErrorReason.ResourceExhausted)]
    [InlineData(StatusCode.FailedPrecondition, typeof(ControlPlaneClientException), ErrorReason.FailedPrecondition)]
    [InlineData(StatusCode.PermissionDenied, typeof(ControlPlaneClientException), ErrorReason.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated, typeof(ControlPlaneClientException), ErrorReason.Unauthenticated)]
    [InlineData(StatusCode.DeadlineExceeded, typeof(ControlPlaneClientException), ErrorReason.DeadlineExceeded)]
    [InlineData(StatusCode.Internal, typeof(ControlPlaneClientException), ErrorReason.Internal)]
    [InlineData(StatusCode.Unknown, typeof(ControlPlaneClientException), ErrorReason.Unknown)]
    public void FromRpcException_NoTrailer_FallsBackToStatusCode(StatusCode code, Type expectedType, ErrorReason expectedReason)
    {
        var error = ControlPlaneClientException.FromRpcException(FakeCluster.Failure(code, "detail"));

        Assert.IsType(expectedType, error);
        Assert.Equal(expectedReason, error.Reason);
        Assert.Equal("detail", error.Message);
    }

    [Fact]
    public void FromRpcException_UnknownReasonName_FallsBackToStatusCode()
    {
        var rpc = FakeCluster.Failure(StatusCode.NotFound, "gone", (ErrorTrailers.Reason, "SomethingNew"));

        Assert.IsType<NotFoundException>(ControlPlaneClientException.FromRpcException(rpc));
    }

    [Fact]
    public void FromRpcException_EmptyDetail_MessageNamesTheStatus()
    {
        var error = ControlPlaneClientException.FromRpcException(new RpcException(new Status(StatusCode.Unavailable, string.Empty)));

        Assert.Contains("Unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRpcException_TransportFailure_KeepsTheCauseInTheMessage()
    {
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new IOException("Connection refused")));

        var error = ControlPlaneClientException.FromRpcException(rpc);

        Assert.Equal("Error connecting to subchannel. (Connection refused)", error.Message);
    }
}
