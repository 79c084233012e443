namespace ControlPlane.Replication.Tests;

/// <summary>A durable write either replaces the file whole or leaves it as it was, with no temporary file behind.</summary>
public sealed class DurableFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cp-durable-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Write_FailsMidway_FileKeepsItsContent_AndNoTemporaryFileRemains()
    {
        var path = Path.Combine(_root, "members.json");
        DurableFile.WriteAllText(path, "first");

        Assert.Throws<IOException>(() => DurableFile.Write(path, path + ".tmp", stream =>
        {
            stream.Write("second, torn"u8);
            throw new IOException("disk full (injected)");
        }));

        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_root));
    }

    [Fact]
    public async Task WriteAsync_ReplacesTheFile_AndAFailureReadingBackChangesNothing()
    {
        var path = Path.Combine(_root, "1-1");
        await DurableFile.WriteAsync(path, path + ".partial", stream => stream.WriteAsync("whole"u8.ToArray()).AsTask());
        Assert.Equal("whole", await File.ReadAllTextAsync(path));

        await Assert.ThrowsAsync<InvalidDataException>(() => DurableFile.WriteAsync(path, path + ".partial", async stream =>
        {
            await stream.WriteAsync("checked and refused"u8.ToArray());
            stream.Position = 0;
            throw new InvalidDataException("the bytes read back are not a snapshot (injected)");
        }));

        Assert.Equal("whole", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_root));
    }
}
