using Grpc.Core;

namespace ControlPlane.Client.Tests;

public sealed class RetryPolicyTests
{
    private readonly RetryPolicy _policy = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData(1, 0.0, 50)]
    [InlineData(1, 0.999999, 100)]
    [InlineData(2, 0.0, 100)]
    [InlineData(3, 0.0, 200)]
    [InlineData(3, 0.5, 300)]
    [InlineData(4, 0.0, 400)]
    [InlineData(5, 0.0, 500)]  // the cap, 1 s, is reached: half of it plus jitter
    [InlineData(9, 0.999999, 1000)]
    [InlineData(60, 0.0, 500)] // no overflow for large attempt numbers
    public void GetBackoff_IsExponentialWithEqualJitterAndCapped(int failedAttempts, double jitter, int expectedMs)
    {
        var backoff = _policy.GetBackoff(failedAttempts, jitter);

        Assert.InRange(backoff.TotalMilliseconds, expectedMs - 0.01, expectedMs + 0.01);
    }

    [Fact]
    public void GetBackoff_ZeroBase_NeverWaits() =>
        Assert.Equal(TimeSpan.Zero, new RetryPolicy(TimeSpan.Zero, TimeSpan.Zero).GetBackoff(3, 0.7));

    [Theory]
    [InlineData(ErrorReason.Unavailable, true)]
    [InlineData(ErrorReason.DeadlineExceeded, true)]
    [InlineData(ErrorReason.NotFound, false)]
    [InlineData(ErrorReason.AlreadyExists, false)]
    [InlineData(ErrorReason.Conflict, false)]
    [InlineData(ErrorReason.Invalid, false)]
    [InlineData(ErrorReason.Expired, false)]
    [InlineData(ErrorReason.ResourceExhausted, false)]
    [InlineData(ErrorReason.FailedPrecondition, false)]
    [InlineData(ErrorReason.PermissionDenied, false)]
    [InlineData(ErrorReason.Internal, false)]
    [InlineData(ErrorReason.Unknown, false)]
    public void IsRetryable_OnlyUnavailableAndAttemptTimeouts(ErrorReason reason, bool expected) =>
        Assert.Equal(expected, RetryPolicy.IsRetryable(new ControlPlaneClientException(reason, "x")));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void IsRetryable_BrokenConnection_OnlyForCallsThatMayRunTwice(bool mayRunTwice, bool expected)
    {
        var broken = ControlPlaneClientException.FromRpcException(
            new RpcException(new Status(StatusCode.Internal, "Error reading next message.", new IOException("connection reset"))));

        Assert.True(broken.IsTransportFailure);
        Assert.Equal(expected, RetryPolicy.IsRetryable(broken, mayRunTwice));
    }
}
