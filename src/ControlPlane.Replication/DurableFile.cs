using System.Runtime.InteropServices;
using System.Text;

namespace ControlPlane.Replication;

/// <summary>
/// Files written atomically and durably: written under a temporary name, flushed to disk, renamed over the final name,
/// then the folder synced so that the rename itself survives a power loss. A write that fails deletes its temporary
/// file and leaves the final name as it was. Member lists, markers, snapshots (written, installed and seeded) all go
/// through here.
/// </summary>
internal static partial class DurableFile
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x86-64 and arm64 Linux

    public static void WriteAllText(string path, string contents) =>
        Write(path, path + ".tmp", stream => stream.Write(Encoding.UTF8.GetBytes(contents)));

    /// <summary>Writes <paramref name="path"/> through <paramref name="temp"/>; <paramref name="write"/> may read back what it wrote.</summary>
    public static void Write(string path, string temp, Action<FileStream> write)
    {
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            MoveIntoPlace(temp, path);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>As <see cref="Write"/>, for writers that await.</summary>
    public static async Task WriteAsync(string path, string temp, Func<FileStream, Task> write)
    {
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            MoveIntoPlace(temp, path);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private static void MoveIntoPlace(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The write's own exception is the one to report; a temporary file left behind is cleaned up by its owner's start.</summary>
    private static void DeleteQuietly(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leave it.
        }
    }

    /// <summary>.NET has no API for it: on Linux the folder is opened and fsynced; elsewhere this does nothing.</summary>
    internal static void SyncDirectory(string directory)
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
