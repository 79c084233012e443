namespace ControlPlane.Client;

/// <summary>The expected resourceVersion did not match: someone else wrote first. Read again and retry; CurrentResourceVersion names the stored one.</summary>
public sealed class ConflictException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConflictException()
        : base(ErrorReason.Conflict, "Conflict")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ConflictException(string message)
        : base(ErrorReason.Conflict, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConflictException(string message, Exception? innerException)
        : base(ErrorReason.Conflict, message, innerException)
    {
    }
}
