using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.Client.Tests;

/// <summary>
/// In-memory stand-in for the cluster's endpoints: every unary call is recorded (endpoint, method, request) and
/// answered by the scripted handler. No sockets.
/// </summary>
internal sealed class FakeCluster
{
    private readonly Lock _lock = new();
    private readonly List<RecordedCall> _calls = [];

    /// <summary>Answers a call: return a response, or throw an <see cref="RpcException"/>.</summary>
    public Func<RecordedCall, IMessage> Handler { get; set; } = call => throw new InvalidOperationException($"no handler for {call.Method}");

    /// <summary>Answers a watch: the stream the call reads (script it with <see cref="FakeWatch"/>).</summary>
    public Func<RecordedCall, FakeWatch> WatchHandler { get; set; } = call => throw new InvalidOperationException($"no watch handler for {call.Method}");

    /// <summary>The trailers of a successful unary answer (none unless scripted).</summary>
    public Func<RecordedCall, Metadata> SuccessTrailers { get; set; } = _ => [];

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_lock) return [.. _calls];
        }
    }

    public CallInvoker InvokerFor(string endpoint) => new Invoker(this, endpoint);

    public static RpcException Failure(StatusCode code, string detail, params (string Key, string Value)[] trailers)
    {
        var metadata = new Metadata();
        foreach (var (key, value) in trailers) metadata.Add(key, value);
        return new RpcException(new Status(code, detail), metadata);
    }

    private IMessage Answer(RecordedCall call)
    {
        lock (_lock) _calls.Add(call);
        return Handler(call);
    }

    internal sealed record RecordedCall(string Endpoint, string Method, IMessage Request, CallOptions Options);

    private sealed class Invoker(FakeCluster cluster, string endpoint) : CallInvoker
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            Task<TResponse> response;
            var trailers = new Metadata();
            try
            {
                // Clone so that a later mutation of the request object cannot rewrite what was recorded.
                var recorded = new RecordedCall(endpoint, method.Name, (IMessage)((IDeepCloneable<TRequest>)request).Clone()!, options);
                response = Task.FromResult((TResponse)cluster.Answer(recorded));
                trailers = cluster.SuccessTrailers(recorded);
            }
            catch (RpcException ex)
            {
                response = Task.FromException<TResponse>(ex);
            }

            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => trailers, () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException("the client makes only asynchronous calls");

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            var recorded = new RecordedCall(endpoint, method.Name, (IMessage)((IDeepCloneable<TRequest>)request).Clone()!, options);
            lock (cluster._lock) cluster._calls.Add(recorded);
            var watch = cluster.WatchHandler(recorded);
            var reader = (IAsyncStreamReader<TResponse>)watch.Open(options.CancellationToken);
            return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], watch.Dispose);
        }

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException("no streaming calls in these tests");

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException("no streaming calls in these tests");
    }
}
