using System.Diagnostics;

namespace ControlPlane.Testing.Tests;

// Linux only, like the process clusters these signals serve.
public class SignalsTests
{
    // The process state letter in /proc/<pid>/stat: S sleeping, T stopped.
    private static char State(Process process)
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private static Process StartSleep()
    {
        var process = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start sleep");
        return process;
    }

    [Fact]
    public async Task StopAndContinue_PauseAndResumeTheProcess()
    {
        using var sleep = StartSleep();
        try
        {
            Signals.Stop(sleep.Id);
            await Eventually.WaitAsync(() => Task.FromResult(State(sleep) == 'T'), TimeSpan.FromSeconds(5), () => $"expected state T after SIGSTOP, saw {State(sleep)}");

            Signals.Continue(sleep.Id);
            await Eventually.WaitAsync(() => Task.FromResult(State(sleep) != 'T'), TimeSpan.FromSeconds(5), () => $"expected to leave state T after SIGCONT, saw {State(sleep)}");
        }
        finally
        {
            sleep.Kill();
        }
    }

    [Fact]
    public async Task Terminate_EndsTheProcess()
    {
        using var sleep = StartSleep();

        Signals.Terminate(sleep.Id);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await sleep.WaitForExitAsync(deadline.Token);
        Assert.Equal(128 + 15, sleep.ExitCode);
    }

    [Fact]
    public void Send_ToAProcessThatIsGone_NamesThePidAndSignal()
    {
        using var sleep = StartSleep();
        var pid = sleep.Id;
        sleep.Kill();
        sleep.WaitForExit();

        var error = Assert.Throws<System.ComponentModel.Win32Exception>(() => Signals.Terminate(pid));

        Assert.Contains($"kill({pid}, SIGTERM)", error.Message, StringComparison.Ordinal);
    }
}
