using System.Collections.Concurrent;
using System.Diagnostics;

namespace ControlPlane.Testing;

/// <summary>
/// Starts node processes so that they die with the test process, however it ends (even SIGKILL, which is how the
/// test platform often ends a test host): on Linux each node runs under <c>setpriv --pdeathsig SIGKILL</c>.
/// The kernel sends that signal when the thread that forked the child exits, not the process, so every node is
/// forked from one dedicated thread that lives as long as the test process.
/// </summary>
internal static class NodeLauncher
{
    private const string SetPriv = "/usr/bin/setpriv";

    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _requests = [];

    private static readonly Lazy<Thread> _thread = new(() =>
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "ControlPlane.Testing node launcher" };
        thread.Start();
        return thread;
    });

    /// <summary>True when nodes are tied to the test process's life (Linux with util-linux's setpriv).</summary>
    public static bool TiesNodesToTestProcess { get; } = OperatingSystem.IsLinux() && File.Exists(SetPriv);

    /// <summary>The start info for <paramref name="program"/>, wrapped in setpriv where available; the pid stays the program's (setpriv execs it).</summary>
    public static ProcessStartInfo CreateStartInfo(string program)
    {
        if (!TiesNodesToTestProcess)
        {
            return new ProcessStartInfo(program);
        }

        var startInfo = new ProcessStartInfo(SetPriv);
        startInfo.ArgumentList.Add("--pdeathsig");
        startInfo.ArgumentList.Add("SIGKILL");
        startInfo.ArgumentList.Add("--");
        startInfo.ArgumentList.Add(program);
        return startInfo;
    }

    /// <summary>Starts <paramref name="process"/> on the launcher thread.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _thread.Value;
        _requests.Add((process, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (process, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
