using System.Runtime.InteropServices;

namespace ControlPlane.Cli;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM into cancellation of the running verb, so that the verb decides how to
/// end: <c>watch</c> ends with exit code 0, the others say "cancelled" and exit with the signal's conventional code
/// (130, 143). A second signal terminates the process at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The verb's exit code, or the signal's (130 for SIGINT, 143 for SIGTERM) when a signal ended a verb that failed.</summary>
    public int ExitCode(int verbExitCode)
    {
        var signal = Volatile.Read(ref _exitCode);
        return verbExitCode != ExitCodes.Success && signal != 0 ? signal : verbExitCode;
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _exitCode, context.Signal == PosixSignal.SIGINT ? 130 : 143, 0) != 0) return;
        context.Cancel = true;
        _cancel.Cancel();
    }
}
