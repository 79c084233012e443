namespace ControlPlane.Client;

/// <summary>The request was malformed (bad name, missing kind, not an object, too large...). Nothing was changed; retrying will not help.</summary>
public sealed class InvalidException : ControlPlaneClientException
{
    /// <summary>Creates the exception with a default message.</summary>
    public InvalidException()
        : base(ErrorReason.Invalid, "Invalid")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public InvalidException(string message)
        : base(ErrorReason.Invalid, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidException(string message, Exception? innerException)
        : base(ErrorReason.Invalid, message, innerException)
    {
    }
}
