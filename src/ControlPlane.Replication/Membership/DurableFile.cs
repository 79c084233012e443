namespace ControlPlane.Replication.Membership;

/// <summary>
/// Small files written atomically and durably: a temporary file, flushed to disk, renamed over, then the folder
/// synced so that the rename itself survives a power loss.
/// </summary>
internal static class DurableFile
{
    public static void WriteAllText(string path, string contents)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(contents);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DurableDirectory.Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
