using System.Diagnostics;

namespace ControlPlane.Testing.Tests;

public class NodeLauncherTests
{
    [Fact]
    public void CreateStartInfo_OnLinux_WrapsTheProgramInSetprivWithAParentDeathSignal()
    {
        var startInfo = NodeLauncher.CreateStartInfo("/usr/bin/sleep");

        if (!NodeLauncher.TiesNodesToTestProcess)
        {
            Assert.Equal("/usr/bin/sleep", startInfo.FileName);
            return;
        }

        Assert.Equal("/usr/bin/setpriv", startInfo.FileName);
        Assert.Equal(["--pdeathsig", "SIGKILL", "--", "/usr/bin/sleep"], startInfo.ArgumentList);
    }

    [Fact]
    public async Task StartAsync_ThePidIsTheProgramsOwn()
    {
        var startInfo = NodeLauncher.CreateStartInfo("sleep");
        startInfo.ArgumentList.Add("30");
        using var process = new Process { StartInfo = startInfo };

        await NodeLauncher.StartAsync(process);
        try
        {
            // setpriv execs the program, so signals sent to this pid reach the node itself.
            await Eventually.WaitAsync(
                () => Task.FromResult(File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith("sleep\0", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(5),
                () => $"expected pid {process.Id} to run sleep; its cmdline is '{File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ')}'");
        }
        finally
        {
            process.Kill();
        }
    }
}
