using ControlPlane.Replication;

namespace ControlPlane.Node.Hosting;

/// <summary>Starts and stops the Raft member with the host; a failed apply or a failed log stops the whole process.</summary>
public sealed partial class RaftNodeService(RaftNode node, IHostApplicationLifetime lifetime, ILogger<RaftNodeService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        node.StateMachine.Faulted += OnFaulted;
        node.Log.Faulted += OnLogFaulted;
        return node.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        node.StateMachine.Faulted -= OnFaulted;
        node.Log.Faulted -= OnLogFaulted;
        await node.StopAsync(cancellationToken);
        LogStopped(node.Identity.Name);
    }

    private void OnFaulted(Exception e) => Stop(e, LogFatal);

    private void OnLogFaulted(Exception e) => Stop(e, LogLogFailed);

    private void Stop(Exception e, Action<Exception> log)
    {
        log(e);
        Environment.ExitCode = 70;
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 1103, Level = LogLevel.Critical, Message = "The Raft log failed (it cannot write or apply); stopping the node rather than answer from a log it cannot trust")]
    private partial void LogLogFailed(Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "The state machine failed; stopping the node")]
    private partial void LogFatal(Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Raft member {Name} stopped")]
    private partial void LogStopped(string name);
}
