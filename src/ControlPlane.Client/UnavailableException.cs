namespace ControlPlane.Client;

/// <summary>No member could serve the call: no leader, or none reachable in time. LeaderEndpoint names the leader when the last member knew it. A write that failed so may still have been applied (it is indeterminate); retry it with the same request id.</summary>
public sealed class UnavailableException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public UnavailableException()
        : base(ErrorReason.Unavailable, "Unavailable")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public UnavailableException(string message)
        : base(ErrorReason.Unavailable, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UnavailableException(string message, Exception? innerException)
        : base(ErrorReason.Unavailable, message, innerException)
    {
    }
}
