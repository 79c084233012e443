using System.Diagnostics;

namespace ControlPlane.Core.Tests.Architecture;

/// <summary>
/// scripts/test-failures.awk, which scripts/test.sh runs over each project's `dotnet test` log so that CI's output says
/// why a test failed: the test's line, the first lines of its message and the first frame of its stack.
/// </summary>
public sealed class TestFailuresScriptTests
{
    [Fact]
    public void FailedTest_PrintsNameMessageAndFirstFrame_NotTheRestOfTheStackOrItsOutput()
    {
        var output = Run(
            "Test run for x.dll (.NETCoreApp,Version=v10.0)",
            "  Passed A.Ok [1 ms]",
            "  Failed A.Fails [7 s]",
            "  Error Message:",
            "   the killed leader resolved every Goal",
            "second line",
            "  Stack Trace:",
            "     at A.Fails() in /src/A.cs:line 4",
            "   at System.Reflection.MethodBaseInvoker.InvokeWithNoArgs()",
            "  Standard Output Messages:",
            " Failed to connect, retrying",
            "",
            "Failed!  - Failed:     1, Passed:     1, Skipped:     0, Total:     2");

        Assert.Equal(
            ["    Failed A.Fails [7 s]", "      the killed leader resolved every Goal", "      second line", "      at A.Fails() in /src/A.cs:line 4"],
            output);
    }

    [Fact]
    public void MessageWithoutStack_EndsAtTheRunSummary_AndALongOneIsCut()
    {
        var output = Run("  Failed A.B [1 s]", "  Error Message:", "   boom", "Results File: /tmp/x.trx", "Failed!  - Failed: 1");
        Assert.Equal(["    Failed A.B [1 s]", "      boom"], output);

        string[] message = [.. Enumerable.Range(1, 10).Select(i => $"   line {i}")];
        var cut = Run(["  Failed A.B [1 s]", "  Error Message:", .. message, "Results File: /tmp/x.trx"]);
        Assert.Equal(["    Failed A.B [1 s]", .. Enumerable.Range(1, 8).Select(i => $"      line {i}"), "      ..."], cut);
    }

    [Fact]
    public void MoreThanTwentyFailedTests_PrintsTwentyAndSaysThereAreMore()
    {
        var output = Run([.. Enumerable.Range(1, 25).Select(i => $"  Failed A.T{i} [1 ms]")]);

        Assert.Equal([.. Enumerable.Range(1, 20).Select(i => $"    Failed A.T{i} [1 ms]"), "    ... more failed tests in the log"], output);
    }

    private static string[] Run(params string[] log)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, log);
            var start = new ProcessStartInfo("awk") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(Path.Combine(Repository.Root(), "scripts", "test-failures.awk"));
            start.ArgumentList.Add(file);
            using var awk = Process.Start(start)!;
            var stdout = awk.StandardOutput.ReadToEnd();
            var stderr = awk.StandardError.ReadToEnd();
            Assert.True(awk.WaitForExit(TimeSpan.FromSeconds(30)), "awk did not finish within 30 s");
            Assert.True(awk.ExitCode == 0, $"awk exited {awk.ExitCode}: {stderr}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
