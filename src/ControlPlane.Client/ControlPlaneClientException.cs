using Grpc.Core;

namespace ControlPlane.Client;

/// <summary>
/// A call to the cluster failed. <see cref="Reason"/> says why; the subclasses (<see cref="NotFoundException"/>,
/// <see cref="ConflictException"/>, ...) let callers catch the reasons they handle.
/// </summary>
public class ControlPlaneClientException : Exception
{
    private StatusCode? _statusCode;
    private string? _currentResourceVersion;
    private string? _leaderEndpoint;
    private string? _oldestResourceVersion;
    private string? _endpoint;
    private int _attempts = 1;

    /// <summary>Creates an exception with reason <see cref="ErrorReason.Unknown"/>.</summary>
    public ControlPlaneClientException()
        : this(ErrorReason.Unknown, "the call failed")
    {
    }

    /// <summary>Creates an exception with reason <see cref="ErrorReason.Unknown"/>.</summary>
    /// <param name="message">What went wrong.</param>
    public ControlPlaneClientException(string message)
        : this(ErrorReason.Unknown, message)
    {
    }

    /// <summary>Creates an exception with reason <see cref="ErrorReason.Unknown"/>.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlPlaneClientException(string message, Exception innerException)
        : this(ErrorReason.Unknown, message, innerException)
    {
    }

    /// <summary>Creates an exception with a reason.</summary>
    /// <param name="reason">Why the call failed.</param>
    /// <param name="message">What went wrong, as the server said it.</param>
    /// <param name="innerException">The cause, usually the <see cref="RpcException"/>.</param>
    public ControlPlaneClientException(ErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why the call failed.</summary>
    public ErrorReason Reason { get; }

    /// <summary>The gRPC status code of the failed call, when the failure came from gRPC.</summary>
    public StatusCode? StatusCode { get => _statusCode; init => _statusCode = value; }

    /// <summary>For Conflict and AlreadyExists: the stored object's resourceVersion.</summary>
    public string? CurrentResourceVersion { get => _currentResourceVersion; init => _currentResourceVersion = value; }

    /// <summary>For Unavailable: the leader's gRPC endpoint, when the answering node knew it.</summary>
    public string? LeaderEndpoint { get => _leaderEndpoint; init => _leaderEndpoint = value; }

    /// <summary>For Expired: the oldest resourceVersion still retained.</summary>
    public string? OldestResourceVersion { get => _oldestResourceVersion; init => _oldestResourceVersion = value; }

    /// <summary>The endpoint that gave the last answer, when known.</summary>
    public string? Endpoint { get => _endpoint; init => _endpoint = value; }

    /// <summary>How many attempts the call made before it gave up (1 when it was not retried).</summary>
    public int Attempts { get => _attempts; init => _attempts = value; }

    /// <summary>
    /// The connection failed, not the server: Grpc.Net.Client reports a broken HTTP/2 connection (a keep-alive ping
    /// that got no answer from a paused member, a reset, a protocol error) as Internal or Unknown with the
    /// <see cref="System.Net.Http.HttpRequestException"/> or <see cref="IOException"/> as the status's debug exception,
    /// and without our <c>cp-error-reason</c> trailer. A server that answered Internal itself always sends the trailer.
    /// </summary>
    public bool IsTransportFailure { get; private set; }

    /// <summary>
    /// Maps a gRPC failure to the typed exception: the reason comes from the <c>cp-error-reason</c> trailer, or from
    /// the status code when the trailer is missing (a proxy's or the transport's own error).
    /// </summary>
    /// <param name="exception">The gRPC failure.</param>
    /// <param name="endpoint">The endpoint that answered, when known.</param>
    /// <param name="attempts">How many attempts the call made.</param>
    public static ControlPlaneClientException FromRpcException(RpcException exception, string? endpoint = null, int attempts = 1)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var trailers = exception.Trailers;
        var reason = ParseReason(trailers.GetValue(ErrorTrailers.Reason)) ?? FromStatusCode(exception.StatusCode);
        var message = string.IsNullOrEmpty(exception.Status.Detail)
            ? $"the call failed with gRPC status {exception.StatusCode}"
            : exception.Status.Detail;
        // Transport failures (connection refused, reset) say what happened only in the debug exception.
        if (exception.Status.DebugException is { } cause && !message.Contains(cause.Message, StringComparison.Ordinal))
            message = $"{message} ({cause.Message})";
        ControlPlaneClientException result = reason switch
        {
            ErrorReason.NotFound => new NotFoundException(message, exception),
            ErrorReason.AlreadyExists => new AlreadyExistsException(message, exception),
            ErrorReason.Conflict => new ConflictException(message, exception),
            ErrorReason.Invalid => new InvalidException(message, exception),
            ErrorReason.Unavailable => new UnavailableException(message, exception),
            ErrorReason.Expired => new ExpiredException(message, exception),
            _ => new ControlPlaneClientException(reason, message, exception),
        };
        result._statusCode = exception.StatusCode;
        result._currentResourceVersion = NullIfEmpty(trailers.GetValue(ErrorTrailers.CurrentResourceVersion));
        result._leaderEndpoint = NullIfEmpty(trailers.GetValue(ErrorTrailers.LeaderEndpoint));
        result._oldestResourceVersion = NullIfEmpty(trailers.GetValue(ErrorTrailers.OldestResourceVersion));
        result._endpoint = endpoint;
        result._attempts = attempts;
        result.IsTransportFailure = string.IsNullOrEmpty(trailers.GetValue(ErrorTrailers.Reason))
            && exception.StatusCode is Grpc.Core.StatusCode.Internal or Grpc.Core.StatusCode.Unknown
            && IsConnectionFailure(exception.Status.DebugException);
        return result;
    }

    /// <summary>The reason a gRPC status code stands for when no reason trailer came with it.</summary>
    /// <param name="code">The status code.</param>
    public static ErrorReason FromStatusCode(StatusCode code) => code switch
    {
        Grpc.Core.StatusCode.NotFound => ErrorReason.NotFound,
        Grpc.Core.StatusCode.AlreadyExists => ErrorReason.AlreadyExists,
        Grpc.Core.StatusCode.Aborted => ErrorReason.Conflict,
        Grpc.Core.StatusCode.InvalidArgument => ErrorReason.Invalid,
        Grpc.Core.StatusCode.Unavailable => ErrorReason.Unavailable,
        Grpc.Core.StatusCode.OutOfRange => ErrorReason.Expired,
        Grpc.Core.StatusCode.ResourceExhausted => ErrorReason.ResourceExhausted,
        Grpc.Core.StatusCode.FailedPrecondition => ErrorReason.FailedPrecondition,
        Grpc.Core.StatusCode.Unauthenticated => ErrorReason.Unauthenticated,
        Grpc.Core.StatusCode.PermissionDenied => ErrorReason.PermissionDenied,
        Grpc.Core.StatusCode.DeadlineExceeded => ErrorReason.DeadlineExceeded,
        Grpc.Core.StatusCode.Internal => ErrorReason.Internal,
        _ => ErrorReason.Unknown,
    };

    /// <summary>Records how many attempts the call made before this failure ended it.</summary>
    internal ControlPlaneClientException WithAttempts(int attempts)
    {
        _attempts = attempts;
        return this;
    }

    private static ErrorReason? ParseReason(string? value) =>
        !string.IsNullOrEmpty(value) && Enum.TryParse<ErrorReason>(value, ignoreCase: true, out var reason)
            && Enum.IsDefined(reason) && reason != ErrorReason.Unknown
            ? reason
            : null;

    private static bool IsConnectionFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Net.Http.HttpRequestException or IOException) return true;
        }

        return false;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
