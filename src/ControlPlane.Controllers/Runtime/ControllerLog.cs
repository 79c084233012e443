using ControlPlane.Core.Resources;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Controllers.Runtime;

/// <summary>The runtime's log messages, with stable event ids (5001-5099).</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Leading: starting {Count} controllers")]
    public static partial void Leading(ILogger logger, int count);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Controller {Controller} started: listed {Objects} objects of {Kinds} at resourceVersion {ResourceVersion}, {Workers} workers")]
    public static partial void Started(ILogger logger, string controller, int objects, string kinds, long resourceVersion, int workers);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Controller {Controller} stopped ({Cause}): {Dropped} queued keys dropped, in-flight reconciles finished in {ElapsedMs} ms")]
    public static partial void Stopped(ILogger logger, string controller, string cause, int dropped, long elapsedMs);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Controller {Controller} stopped ({Cause}) but {Running} reconciles were still running after {TimeoutMs} ms; they are abandoned (their writes are refused once this node no longer leads) and awaited before the next term")]
    public static partial void Abandoned(ILogger logger, string controller, string cause, int running, long timeoutMs);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Controller {Controller}: the watch of {Kind} ended ({Reason}); listing again")]
    public static partial void Relisting(ILogger logger, string controller, string kind, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Controller {Controller}: listing {Kind} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void ListFailed(ILogger logger, string controller, string kind, string reason, long delayMs);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Debug, Message = "Controller {Controller}: {Key} retried in {DelayMs} ms: {Error}")]
    public static partial void Retrying(ILogger logger, string controller, ResourceKey key, long delayMs, string error);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Controller {Controller}: reconcile of {Key} threw; retrying in {DelayMs} ms")]
    public static partial void ReconcileThrew(ILogger logger, Exception exception, string controller, ResourceKey key, long delayMs);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Controller {Controller}: giving up on {Key} until it changes: {Error}")]
    public static partial void Terminal(ILogger logger, string controller, ResourceKey key, string error);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Controller {Controller}: {Key} changed under the reconcile ({Reason}); re-reading in {DelayMs} ms")]
    public static partial void Conflict(ILogger logger, string controller, ResourceKey key, string reason, long delayMs);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Leadership lost: all controllers stopped")]
    public static partial void NotLeading(ILogger logger);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Waiting for {Count} abandoned reconciles of the previous term before starting controllers")]
    public static partial void AwaitingStragglers(ILogger logger, int count);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Critical, Message = "The controller host failed; stopping it")]
    public static partial void HostFailed(ILogger logger, Exception exception);
}
