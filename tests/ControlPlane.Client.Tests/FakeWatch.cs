using System.Globalization;
using System.Threading.Channels;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.Client.Tests;

/// <summary>
/// One scripted watch stream of a <see cref="FakeCluster"/>: the messages it sends, then an error, a normal end, or
/// silence (the stream stays open until the call is cancelled, as a paused member's would).
/// </summary>
internal sealed class FakeWatch
{
    private readonly Channel<WatchResourcesResponse> _messages = Channel.CreateUnbounded<WatchResourcesResponse>();
    private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    /// <summary>Completes when the client waits for a message the script has not sent.</summary>
    public Task Waiting => _waiting.Task;

    /// <summary>True once the client disposed the call.</summary>
    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    public FakeWatch Send(params WatchResourcesResponse[] messages)
    {
        foreach (var message in messages) _messages.Writer.TryWrite(message);
        return this;
    }

    public FakeWatch Fail(RpcException error)
    {
        _messages.Writer.TryComplete(error);
        return this;
    }

    public FakeWatch End()
    {
        _messages.Writer.TryComplete();
        return this;
    }

    public static FakeWatch Failing(RpcException error) => new FakeWatch().Fail(error);

    public static WatchResourcesResponse Event(long rv, EventType type, string name, long? previousRv = null, string ns = "team") => new()
    {
        ResourceVersion = rv.ToString(CultureInfo.InvariantCulture),
        Events =
        {
            new Contracts.V1.WatchEvent
            {
                Type = type,
                Object = Goal(name, type == EventType.Deleted ? previousRv ?? rv : rv, ns),
                PreviousObject = previousRv is { } p ? Goal(name, p, ns) : ByteString.Empty,
            },
        },
    };

    public static WatchResourcesResponse Bookmark(long rv) => new() { ResourceVersion = rv.ToString(CultureInfo.InvariantCulture), Bookmark = true };

    public static ByteString Goal(string name, long rv, string ns = "team") => ByteString.CopyFromUtf8(
        $$$"""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","resourceVersion":"{{{rv}}}"},"spec":{"rv":{{{rv}}}}}""");

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    public object Open(CancellationToken callToken) => new Reader(this, callToken);

    private sealed class Reader(FakeWatch watch, CancellationToken callToken) : IAsyncStreamReader<WatchResourcesResponse>
    {
        public WatchResourcesResponse Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            // Like Grpc.Net.Client: once the call's token is cancelled the call is aborted, messages in flight or not.
            if (callToken.IsCancellationRequested) throw new RpcException(new Status(StatusCode.Cancelled, "call cancelled"));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
            var reader = watch._messages.Reader;
            try
            {
                while (true)
                {
                    if (reader.TryRead(out var message))
                    {
                        Current = message;
                        return true;
                    }

                    if (reader.Completion.IsCompleted)
                    {
                        await reader.Completion;
                        return false;
                    }

                    watch._waiting.TrySetResult();
                    await reader.WaitToReadAsync(linked.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // What Grpc.Net.Client reports when the call's token is cancelled.
                throw new RpcException(new Status(StatusCode.Cancelled, "call cancelled"));
            }
            catch (ChannelClosedException ex) when (ex.InnerException is RpcException rpc)
            {
                throw rpc;
            }
        }
    }
}
