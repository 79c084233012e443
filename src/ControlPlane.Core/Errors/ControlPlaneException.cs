namespace ControlPlane.Core.Errors;

/// <summary>A failure with a reason the API maps to a status code.</summary>
public class ControlPlaneException : Exception
{
    public ControlPlaneException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public ControlPlaneException()
        : this(ErrorCode.Internal, "internal error")
    {
    }

    public ControlPlaneException(string message)
        : this(ErrorCode.Internal, message)
    {
    }

    public ControlPlaneException(string message, Exception innerException)
        : this(ErrorCode.Internal, message, innerException)
    {
    }

    public ErrorCode Code { get; }

    /// <summary>For <see cref="ErrorCode.Conflict"/> and <see cref="ErrorCode.AlreadyExists"/>: the stored resourceVersion.</summary>
    public long? CurrentResourceVersion { get; init; }

    /// <summary>For <see cref="ErrorCode.Unavailable"/>: the leader's client endpoint when known.</summary>
    public string? LeaderHint { get; init; }

    /// <summary>For <see cref="ErrorCode.Expired"/>: the oldest position still retained.</summary>
    public long? OldestRetained { get; init; }

    public static ControlPlaneException Invalid(string message) => new(ErrorCode.Invalid, message);
}
