using System.Globalization;
using ControlPlane.Core.Errors;
using Grpc.Core;

namespace ControlPlane.Node.Api;

/// <summary>The one place that maps store errors to gRPC status codes and trailers (see resources.proto).</summary>
public static class ErrorMapping
{
    public const string ReasonTrailer = "cp-error-reason";
    public const string CurrentResourceVersionTrailer = "cp-current-resource-version";
    public const string LeaderTrailer = "cp-leader-endpoint";
    public const string OldestTrailer = "cp-oldest-resource-version";

    public static StatusCode ToStatusCode(ErrorCode code) => code switch
    {
        ErrorCode.NotFound => StatusCode.NotFound,
        ErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        ErrorCode.Conflict => StatusCode.Aborted,
        ErrorCode.Invalid => StatusCode.InvalidArgument,
        ErrorCode.Unavailable => StatusCode.Unavailable,
        ErrorCode.Expired => StatusCode.OutOfRange,
        ErrorCode.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorCode.Unauthenticated => StatusCode.Unauthenticated,
        ErrorCode.PermissionDenied => StatusCode.PermissionDenied,
        ErrorCode.DeadlineExceeded => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(ControlPlaneException e)
    {
        var trailers = new Metadata { { ReasonTrailer, e.Code.ToString() } };
        if (e.CurrentResourceVersion is { } rv) trailers.Add(CurrentResourceVersionTrailer, rv.ToString(CultureInfo.InvariantCulture));
        if (e.LeaderHint is { } leader) trailers.Add(LeaderTrailer, leader);
        if (e.OldestRetained is { } oldest) trailers.Add(OldestTrailer, oldest.ToString(CultureInfo.InvariantCulture));
        return new RpcException(new Status(ToStatusCode(e.Code), e.Message), trailers, e.Message);
    }
}
