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
}
