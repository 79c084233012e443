using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ControlPlane.Testing;

/// <summary>Sends POSIX signals to a process through libc's kill(2); .NET itself can only send SIGKILL.</summary>
internal static partial class Signals
{
    public static void Terminate(int pid) => Send(pid, 15, "SIGTERM");

    public static void Stop(int pid) => Send(pid, OperatingSystem.IsMacOS() ? 17 : 19, "SIGSTOP");

    public static void Continue(int pid) => Send(pid, OperatingSystem.IsMacOS() ? 19 : 18, "SIGCONT");

    private static void Send(int pid, int signal, string name)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException($"Sending {name} needs Linux or macOS.");
        }

        if (Kill(pid, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"kill({pid}, {name}) failed: {new Win32Exception(errno).Message}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
