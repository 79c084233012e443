namespace ControlPlane.Client;

/// <summary>The object does not exist.</summary>
public sealed class NotFoundException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public NotFoundException()
        : base(ErrorReason.NotFound, "NotFound")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public NotFoundException(string message)
        : base(ErrorReason.NotFound, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NotFoundException(string message, Exception? innerException)
        : base(ErrorReason.NotFound, message, innerException)
    {
    }
}
