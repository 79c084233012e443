namespace ControlPlane.Client;

/// <summary>Which failures are retried, and how long to wait before the next attempt.</summary>
internal sealed class RetryPolicy(TimeSpan backoffBase, TimeSpan backoffMax)
{
    /// <summary>
    /// Only failures that say nothing about the request itself: no member could serve it (UNAVAILABLE, including
    /// connection failures) or the attempt ran out of its own time. Writes are safe to retry because every attempt of a
    /// call carries the same request id, which the server deduplicates. NotFound, AlreadyExists, Conflict, Invalid and
    /// every other answer are final.
    /// </summary>
    public static bool IsRetryable(ControlPlaneClientException failure) =>
        failure.Reason is ErrorReason.Unavailable or ErrorReason.DeadlineExceeded;

    /// <summary>
    /// <see cref="IsRetryable(ControlPlaneClientException)"/>, or, for calls that may run twice (reads, and writes with their request id), a broken
    /// connection (<see cref="ControlPlaneClientException.IsTransportFailure"/>): a paused member's missed keep-alive
    /// ping ends the call with Internal, and the next member can serve it. A server's own Internal stays final.
    /// </summary>
    /// <param name="failure">How the attempt failed.</param>
    /// <param name="mayRunTwice">Whether the call is a read or a write the server deduplicates by request id.</param>
    public static bool IsRetryable(ControlPlaneClientException failure, bool mayRunTwice) =>
        IsRetryable(failure) || (mayRunTwice && failure.IsTransportFailure);

    /// <summary>
    /// Whether a watch (or an informer) that ended with <paramref name="failure"/> may go on from its position: yes,
    /// unless the answer is about the request (Invalid, NotFound, PermissionDenied, ...) or the position expired. A
    /// stream carries no request id to protect, so transport errors (Internal, Unknown) and a member ending a slow
    /// reader (ResourceExhausted) qualify too.
    /// </summary>
    public static bool IsResumable(ControlPlaneClientException failure) =>
        failure.Reason is ErrorReason.Unavailable or ErrorReason.DeadlineExceeded or ErrorReason.ResourceExhausted
            or ErrorReason.Internal or ErrorReason.Unknown;

    /// <summary>
    /// Exponential backoff with "equal jitter": the cap is base * 2^(attempt-1), bounded by the maximum, and the wait is
    /// half the cap plus a random part of the other half, so that clients failing together do not retry together.
    /// </summary>
    /// <param name="failedAttempts">How many attempts have failed so far (1 after the first).</param>
    /// <param name="jitter">A uniform random number in [0, 1).</param>
    public TimeSpan GetBackoff(int failedAttempts, double jitter)
    {
        if (backoffBase <= TimeSpan.Zero) return TimeSpan.Zero;
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var capTicks = Math.Min(backoffMax.Ticks, backoffBase.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)((capTicks / 2) + (Math.Clamp(jitter, 0, 1) * capTicks / 2)));
    }
}
