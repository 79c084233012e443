namespace ControlPlane.Testing.Tests;

public class ProcessClusterTests
{
    [Fact]
    public async Task StartAsync_NodeDllMissing_FailsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "controlplane-missing-" + Guid.NewGuid().ToString("N"), "ControlPlane.Node.dll");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => ProcessCluster.StartAsync(new ProcessClusterOptions { NodeDllPath = missing }));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoNodes_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ProcessCluster.StartAsync(nodes: 0));
    }

    [Fact]
    public async Task StartAsync_DuplicateNodeNames_IsRefusedBeforeAnyProcessStarts()
    {
        var root = Path.Combine(Path.GetTempPath(), "controlplane-dup-" + Guid.NewGuid().ToString("N"));
        var fakeDll = Path.Combine(root, "ControlPlane.Node.dll");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(fakeDll, "");
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => ProcessCluster.StartAsync(new ProcessClusterOptions
            {
                NodeDllPath = fakeDll,
                ArtifactsRoot = root,
                Configure = node => node.Name = "same",
            }));

            Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
