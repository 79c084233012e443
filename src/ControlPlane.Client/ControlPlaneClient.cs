using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Client;

/// <summary>
/// The ControlPlane client: one HTTP/2 gRPC channel per cluster endpoint, failover between them, and retries of what is
/// safe to retry. Thread-safe; make one per application and share it.
/// </summary>
/// <remarks>
/// <para>Failover: a call that finds its member unavailable (UNAVAILABLE, a connection failure, or an attempt that ran
/// past <see cref="ControlPlaneClientOptions.AttemptTimeout"/>) moves to the leader that member named in the
/// <c>cp-leader-endpoint</c> trailer, or else to the next endpoint, after a jittered exponential backoff, until
/// <see cref="ControlPlaneClientOptions.MaxAttempts"/> or <see cref="ControlPlaneClientOptions.CallTimeout"/> runs out.</para>
/// <para>Exactly-once writes: every write carries a request id (the caller's, or a GUID made once per call) and every
/// retry of the call reuses it, so the server applies the write at most once and answers a retry with the original
/// result. Answers about the request itself (NotFound, AlreadyExists, Conflict, Invalid, ...) are never retried.</para>
/// </remarks>
public sealed partial class ControlPlaneClient : IControlPlaneClient, IDisposable, IAsyncDisposable
{
    private readonly ControlPlaneClientOptions _options;
    private readonly Func<string, EndpointConnection> _connect;
    private readonly ConcurrentDictionary<string, Lazy<EndpointConnection>> _connections = new(StringComparer.Ordinal);
    private readonly EndpointRing _ring;

    /// <summary>The leader that committed this client's last write (trailer cp-leader-endpoint), where writes start.</summary>
    private string? _writeLeader;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a client over gRPC channels to the configured endpoints (connections open on first use).</summary>
    /// <param name="options">Where the cluster is and how hard to try; validated here.</param>
    /// <param name="logger">Receives retry and failover diagnostics; null for none.</param>
    /// <param name="timeProvider">The clock for deadlines and backoff; null for the system clock.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are not valid.</exception>
    public ControlPlaneClient(ControlPlaneClientOptions options, ILogger<ControlPlaneClient>? logger = null, TimeProvider? timeProvider = null)
        : this(options, ChannelFactory(options), timeProvider, jitter: null, logger)
    {
    }

    /// <summary>Creates a client whose connections come from <paramref name="invokerFactory"/> (tests use in-memory invokers).</summary>
    internal ControlPlaneClient(
        ControlPlaneClientOptions options,
        Func<string, CallInvoker> invokerFactory,
        TimeProvider? timeProvider = null,
        Func<double>? jitter = null,
        ILogger? logger = null)
        : this(options, endpoint => new EndpointConnection(endpoint, invokerFactory(endpoint), owner: null), timeProvider, jitter, logger)
    {
    }

    private ControlPlaneClient(
        ControlPlaneClientOptions options,
        Func<string, EndpointConnection> connect,
        TimeProvider? timeProvider,
        Func<double>? jitter,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ControlPlaneClientOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _connect = connect;
        _ring = new EndpointRing(options.EffectiveEndpoints.Select(e => EndpointAddress.TryNormalize(e, out var n) ? n : e));
        _retry = new RetryPolicy(options.RetryBackoffBase, options.RetryBackoffMax);
        _time = timeProvider ?? TimeProvider.System;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _logger = logger ?? NullLogger.Instance;
        if (options.BearerToken is not null && options.EffectiveEndpoints.FirstOrDefault(e => e.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) is { } plaintext)
        {
            ClientLog.TokenInClear(_logger, plaintext);
        }
    }

    /// <summary>The endpoints in failover order, normalized; leaders learned from hints are appended.</summary>
    public IReadOnlyList<string> Endpoints => _ring.Endpoints;

    /// <summary>The endpoint the next call starts at.</summary>
    public string CurrentEndpoint => _ring.Preferred;

    /// <summary>Closes every channel. Calls in flight fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var connection in _connections.Values)
        {
            if (connection.IsValueCreated) connection.Value.Dispose();
        }

        _connections.Clear();
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Channels to each endpoint; the CA file is read once, when the first connection opens (after validation).</summary>
    private static Func<string, EndpointConnection> ChannelFactory(ControlPlaneClientOptions options)
    {
        var trust = new Lazy<CertificateAuthorityTrust?>(() => options.CaCertificateFile is { } caFile ? new CertificateAuthorityTrust(caFile) : null);
        return endpoint => CreateChannel(endpoint, options, trust.Value);
    }

    private static EndpointConnection CreateChannel(string endpoint, ControlPlaneClientOptions options, CertificateAuthorityTrust? trust)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
        };
        if (trust is not null) handler.SslOptions.RemoteCertificateValidationCallback = trust.Validate;
        var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
        });
        var invoker = channel.CreateCallInvoker();
        if (options.BearerToken is { } token)
        {
            var authorization = "Bearer " + token;
            // Into a copy: a call's headers may be reused by its next attempt.
            invoker = invoker.Intercept(metadata => [new Metadata.Entry("authorization", authorization), .. metadata.Where(e => e.Key != "authorization")]);
        }

        return new EndpointConnection(endpoint, invoker, channel);
    }

    private EndpointConnection GetConnection(string endpoint)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _connections.GetOrAdd(endpoint, e => new Lazy<EndpointConnection>(() => _connect(e))).Value;
    }

    /// <summary>
    /// Runs one logical call: attempts on the preferred endpoint, then fails over and retries what is retryable, within
    /// the call's deadline. The request object is the same on every attempt (so a write's request id is too).
    /// </summary>
    /// <param name="operation">The call's name, for messages.</param>
    /// <param name="call">Starts one attempt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="attemptTimeout">
    /// The deadline of one attempt; null means <see cref="ControlPlaneClientOptions.AttemptTimeout"/>. Calls that
    /// legitimately take long on the server (adding a member waits for it to catch up) pass the call timeout.
    /// </param>
    /// <param name="mayRunTwice">
    /// Whether a broken connection is retried on another member too: true for reads and for writes with a request id,
    /// where a second run is harmless; false for calls whose effect a lost answer leaves unknown.
    /// </param>
    /// <param name="toLeader">
    /// A write: start at the leader that committed the last write (a follower would forward it, one more hop), and
    /// learn the leader from the answer's trailer. Reads keep their own endpoint, so they stay spread over members.
    /// </param>
    private async Task<TResponse> InvokeAsync<TResponse>(
        string operation,
        Func<EndpointConnection, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken,
        TimeSpan? attemptTimeout = null,
        bool mayRunTwice = false,
        bool toLeader = false)
        where TResponse : class
    {
        var started = _time.GetTimestamp();
        var leader = toLeader ? Volatile.Read(ref _writeLeader) : null;
        var endpoint = leader ?? _ring.Preferred;
        var tried = new HashSet<string>(StringComparer.Ordinal);
        ControlPlaneClientException? previous = null;
        for (var attempt = 1; ; attempt++)
        {
            tried.Add(endpoint);
            var result = await TryAttemptAsync(endpoint, call, started, attempt, attemptTimeout ?? _options.AttemptTimeout, toLeader, cancellationToken).ConfigureAwait(false);
            if (result.Response is { } response)
            {
                if (!ReferenceEquals(endpoint, leader)) _ring.Succeeded(endpoint);
                if (toLeader) NoteWriteLeader(result.LeaderHint);
                return response;
            }

            // The leader writes went to failed: forget it; the ring and the failure's own hint take over.
            if (ReferenceEquals(endpoint, leader)) Interlocked.CompareExchange(ref _writeLeader, null, leader);
            var error = result.Error!;
            var elapsed = _time.GetElapsedTime(started);
            if (!RetryPolicy.IsRetryable(error, mayRunTwice) || attempt >= _options.MaxAttempts || elapsed >= _options.CallTimeout)
                throw GiveUp(operation, error, previous, attempt, endpoint);

            var next = _ring.Next(endpoint, error.LeaderEndpoint, out var followedHint);
            // A fresh leader hint is worth trying at once; anything else waits, so that an election can finish.
            var delay = followedHint && !tried.Contains(next) ? TimeSpan.Zero : _retry.GetBackoff(attempt, _jitter());
            if (elapsed + delay >= _options.CallTimeout) throw GiveUp(operation, error, previous, attempt, endpoint);

            ClientLog.Retrying(_logger, operation, attempt, endpoint, error.Reason, error.Message, next, (long)delay.TotalMilliseconds);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            previous = error;
            endpoint = next;
        }
    }

    private async Task<AttemptResult<TResponse>> TryAttemptAsync<TResponse>(
        string endpoint,
        Func<EndpointConnection, CallOptions, AsyncUnaryCall<TResponse>> call,
        long started,
        int attempt,
        TimeSpan attemptTimeout,
        bool readLeaderHint,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        var remaining = _options.CallTimeout - _time.GetElapsedTime(started);
        var timeout = remaining < attemptTimeout ? remaining : attemptTimeout;
        var deadline = _time.GetUtcNow().UtcDateTime + timeout;
        try
        {
            using var grpcCall = call(GetConnection(endpoint), new CallOptions(deadline: deadline, cancellationToken: cancellationToken));
            var response = await grpcCall.ResponseAsync.ConfigureAwait(false);
            return new(response, null, readLeaderHint ? grpcCall.GetTrailers().GetValue(ErrorTrailers.LeaderEndpoint) : null);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the call was cancelled", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            return new(default, ControlPlaneClientException.FromRpcException(ex, endpoint, attempt), null);
        }
    }

    private ControlPlaneClientException GiveUp(
        string operation, ControlPlaneClientException error, ControlPlaneClientException? previous, int attempts, string endpoint)
    {
        if (attempts > 1 || RetryPolicy.IsRetryable(error) || error.IsTransportFailure)
            ClientLog.GaveUp(_logger, operation, attempts, endpoint, error.Reason, error.Message);
        if (error.Reason != ErrorReason.DeadlineExceeded) return error.WithAttempts(attempts);

        // The last attempt only ran out of what was left of the call's time: say so, and what went wrong before.
        var message = $"{operation} did not complete within the call timeout of {_options.CallTimeout.TotalSeconds:0.###}s "
            + $"({attempts} attempt(s); the last, on {endpoint}: {error.Message})"
            + (previous is null ? string.Empty : $"; before that: {previous.Reason}: {previous.Message}");
        return new ControlPlaneClientException(ErrorReason.DeadlineExceeded, message, error.InnerException)
        {
            StatusCode = error.StatusCode,
            Endpoint = endpoint,
            Attempts = attempts,
        };
    }

    /// <summary>Remembers the leader a write's answer named, if it is one of the configured endpoints.</summary>
    private void NoteWriteLeader(string? hint)
    {
        // Almost every write names the leader already known: no normalizing, no lock on the ring, no write.
        if (hint is null || string.Equals(hint, Volatile.Read(ref _writeLeader), StringComparison.Ordinal)) return;
        if (!EndpointAddress.TryNormalize(hint, out var normalized)) return;

        // An address this client was not given may not be reachable from here (a container's own address): ignore it.
        if (_ring.Contains(normalized)) Volatile.Write(ref _writeLeader, normalized);
    }

    private readonly record struct AttemptResult<TResponse>(TResponse? Response, ControlPlaneClientException? Error, string? LeaderHint)
        where TResponse : class;
}
