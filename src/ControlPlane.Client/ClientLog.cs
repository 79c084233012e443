using Microsoft.Extensions.Logging;

namespace ControlPlane.Client;

/// <summary>The client's log messages.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "{Operation} attempt {Attempt} on {Endpoint} failed ({Reason}: {Detail}); next attempt on {NextEndpoint} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string endpoint, ErrorReason reason, string detail, string nextEndpoint, long delayMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "{Operation} failed after {Attempts} attempt(s), last on {Endpoint}: {Reason}: {Detail}")]
    public static partial void GaveUp(ILogger logger, string operation, int attempts, string endpoint, ErrorReason reason, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Watch of {Kind} on {Endpoint} ended after resourceVersion {Position} ({Reason}: {Detail}); resuming on {NextEndpoint} in {DelayMs} ms")]
    public static partial void WatchResuming(ILogger logger, string kind, string endpoint, string position, ErrorReason reason, string detail, string nextEndpoint, long delayMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "A bearer token is configured, but {Endpoint} is an http:// endpoint: the token crosses the network in clear")]
    public static partial void TokenInClear(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Informer of {Kind}: {Operation} failed ({Reason}: {Detail}); retrying in {DelayMs} ms")]
    public static partial void InformerRetrying(ILogger logger, string kind, string operation, ErrorReason reason, string detail, long delayMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "Informer of {Kind}: the watch position {Position} expired (oldest retained {Oldest}); listing again")]
    public static partial void InformerRelisting(ILogger logger, string kind, string position, string oldest);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information,
        Message = "Informer of {Kind}: synced {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void InformerListed(ILogger logger, string kind, int count, string resourceVersion);
}
