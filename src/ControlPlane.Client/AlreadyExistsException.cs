namespace ControlPlane.Client;

/// <summary>An object of that name already exists (a create of an existing name). CurrentResourceVersion names the stored one.</summary>
public sealed class AlreadyExistsException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public AlreadyExistsException()
        : base(ErrorReason.AlreadyExists, "AlreadyExists")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public AlreadyExistsException(string message)
        : base(ErrorReason.AlreadyExists, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AlreadyExistsException(string message, Exception? innerException)
        : base(ErrorReason.AlreadyExists, message, innerException)
    {
    }
}
