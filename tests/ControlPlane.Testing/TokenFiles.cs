namespace ControlPlane.Testing;

/// <summary>Token files for test clusters, written as a node demands: readable by their owner only.</summary>
public static class TokenFiles
{
    /// <summary>Writes <paramref name="lines"/> to <paramref name="path"/> with mode 0600.</summary>
    public static async Task WriteAsync(string path, IEnumerable<string> lines)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        foreach (var line in lines) await writer.WriteLineAsync(line);
    }
}
