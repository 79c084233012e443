using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ControlPlane.Node.Api;

/// <summary>
/// An interceptor that only decides whether a call may start: <see cref="Admit"/> returns or throws, for every kind of
/// call (a streaming request arrives after admission, so it is admitted with no request).
/// </summary>
public abstract class AdmissionInterceptor : Interceptor
{
    public sealed override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(request, context);
        return continuation(request, context);
    }

    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(request, context);
        return continuation(request, responseStream, context);
    }

    public sealed override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(null, context);
        return continuation(requestStream, context);
    }

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(null, context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>Returns when the call may go on; throws (a <c>ControlPlaneException</c>) to refuse it.</summary>
    protected abstract void Admit(object? request, ServerCallContext context);
}
