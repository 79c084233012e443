using System.Runtime.InteropServices;

namespace ControlPlane.Replication;

/// <summary>
/// Syncs a folder, so that files created or renamed in it keep their names after a power loss (a rename is a change
/// of the folder, which syncing the file does not cover). .NET has no API for it: on Linux the folder is opened and
/// fsynced; elsewhere this does nothing.
/// </summary>
internal static partial class DurableDirectory
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x86-64 and arm64 Linux

    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var descriptor = Open(directory, ReadOnlyCloseOnExec);
        if (descriptor < 0) throw new IOException($"cannot open {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(descriptor) != 0) throw new IOException($"cannot sync {directory} (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
