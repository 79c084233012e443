namespace ControlPlane.Client;

/// <summary>A read or watch position is older than the retained history (like Kubernetes' 410 Gone): list again and resume from the list's resourceVersion.</summary>
public sealed class ExpiredException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ExpiredException()
        : base(ErrorReason.Expired, "Expired")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ExpiredException(string message)
        : base(ErrorReason.Expired, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ExpiredException(string message, Exception? innerException)
        : base(ErrorReason.Expired, message, innerException)
    {
    }
}
