using ControlPlane.Core.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ControlPlane.Node.Api;

/// <summary>Turns <see cref="ControlPlaneException"/> from any service into its gRPC status, in one place.</summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    private RpcException? Map(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case RpcException:
                return null;
            case ControlPlaneException cpe:
                if (cpe.Code == ErrorCode.Internal) LogInternal(e, context.Method);
                return ErrorMapping.ToRpcException(cpe);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return context.Deadline <= DateTime.UtcNow
                    ? ErrorMapping.ToRpcException(new ControlPlaneException(ErrorCode.DeadlineExceeded, "the call's deadline passed; a write's outcome is unknown"))
                    : new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            default:
                LogInternal(e, context.Method);
                return ErrorMapping.ToRpcException(new ControlPlaneException(ErrorCode.Internal, $"internal error: {e.GetType().Name}: {e.Message}"));
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error in {Method}")]
    private partial void LogInternal(Exception exception, string method);
}
