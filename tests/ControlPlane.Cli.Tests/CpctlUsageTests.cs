namespace ControlPlane.Cli.Tests;

/// <summary>Command lines that are wrong exit with 2 and say why on stderr, without calling the cluster.</summary>
public sealed class CpctlUsageTests
{
    private readonly CliHarness _cli = new();

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("get")]
    [InlineData("get goals -o xml")]
    [InlineData("get goals --bogus")]
    [InlineData("get goals -A -n team")]
    [InlineData("get goal g1 -A")]
    [InlineData("get goal g1 -l app=web")]
    [InlineData("apply")]
    [InlineData("apply -f")]
    [InlineData("patch goal g1")]
    [InlineData("patch goal g1 -p not-json")]
    [InlineData("patch goal g1 -p [1,2]")]
    [InlineData("delete")]
    [InlineData("delete goal")]
    [InlineData("delete goal g1 -f x.yaml")]
    [InlineData("get goals --timeout soon")]
    [InlineData("get goals --endpoints ftp://127.0.0.1:1")]
    [InlineData("cluster")]
    [InlineData("completion fish")]
    public async Task UsageError_ExitsWith2_AndExplainsOnStderr(string commandLine)
    {
        var run = await _cli.RunAsync(commandLine);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
        Assert.DoesNotContain(_cli.Client.Calls, c => c.StartsWith("Patch", StringComparison.Ordinal) || c.StartsWith("Delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_ExitsWith0_AndListsTheVerbs()
    {
        var run = await _cli.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "apply", "create", "get", "patch", "delete", "cluster", "completion" })
            Assert.Contains(verb, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_ComeFromTheFlag_ThenTheEnvironment_ThenTheDefault()
    {
        await _cli.RunAsync("cluster status");
        _cli.Environment["CP_ENDPOINTS"] = "http://10.1.1.1:7101, http://10.1.1.2:7101";
        await _cli.RunAsync("cluster status");
        await _cli.RunAsync("cluster status --endpoints http://10.9.9.9:1 --timeout 2s");

        Assert.Empty(_cli.ClientOptions[0].Endpoints); // empty = the local three-node default
        Assert.Equal(["http://10.1.1.1:7101", "http://10.1.1.2:7101"], _cli.ClientOptions[1].Endpoints);
        Assert.Equal(["http://10.9.9.9:1"], _cli.ClientOptions[2].Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(2), _cli.ClientOptions[2].CallTimeout);
        Assert.True(_cli.ClientOptions[2].AttemptTimeout <= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Token_ComesFromTheTokenFile_ThenTheEnvironment_ElseNone()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, ["  from-the-file-0123456789  ", "ignored second line"]);
            await _cli.RunAsync("cluster status");
            _cli.Environment["CP_TOKEN"] = "from-the-environment-0123";
            await _cli.RunAsync("cluster status");
            await _cli.RunAsync($"cluster status --token-file {file}");

            Assert.Null(_cli.ClientOptions[0].BearerToken);
            Assert.Equal("from-the-environment-0123", _cli.ClientOptions[1].BearerToken);
            Assert.Equal("from-the-file-0123456789", _cli.ClientOptions[2].BearerToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CaFile_ComesFromTheFlag_ThenTheEnvironment_AndAMissingOrEmptyOneIsAUsageError()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cp-ca-" + Guid.NewGuid().ToString("N"));
        Certificates.ClusterCertificates.Create(directory, ["n1"], ["127.0.0.1"], TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
        var ca = Path.Combine(directory, "ca.crt");
        var empty = Path.Combine(directory, "empty.crt");
        await File.WriteAllTextAsync(empty, string.Empty);
        try
        {
            await _cli.RunAsync("cluster status");
            _cli.Environment["CP_CA_FILE"] = ca;
            await _cli.RunAsync("cluster status");
            await _cli.RunAsync($"cluster status --ca-file {ca}");
            var missing = await _cli.RunAsync($"cluster status --ca-file {ca}.missing");
            var none = await _cli.RunAsync($"cluster status --ca-file {empty}");

            Assert.Null(_cli.ClientOptions[0].CaCertificateFile);
            Assert.Equal(ca, _cli.ClientOptions[1].CaCertificateFile);
            Assert.Equal(ca, _cli.ClientOptions[2].CaCertificateFile);
            Assert.True(missing.ExitCode == 2, missing.ToString());
            Assert.Contains($"CaCertificateFile {ca}.missing does not exist", missing.Error, StringComparison.Ordinal);
            Assert.True(none.ExitCode == 2, none.ToString());
            Assert.Contains($"CaCertificateFile {empty} holds no PEM certificate", none.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TokenFile_MissingOrEmpty_IsAUsageError_NamingTheFile()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var emptyRun = await _cli.RunAsync($"cluster status --token-file {empty}");
            var missingRun = await _cli.RunAsync($"cluster status --token-file {empty}.missing");

            Assert.True(emptyRun.ExitCode == 2, emptyRun.ToString());
            Assert.Contains($"--token-file {empty}: the first line is empty", emptyRun.Error, StringComparison.Ordinal);
            Assert.True(missingRun.ExitCode == 2, missingRun.ToString());
            Assert.Contains($"--token-file {empty}.missing", missingRun.Error, StringComparison.Ordinal);
            Assert.Empty(_cli.Client.Calls);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("7", 7)]
    public void ParseDuration_AcceptsUnits(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Commands.Invocation.ParseDuration(text));

    [Fact]
    public async Task Completion_Bash_UsesTheSuggestDirective()
    {
        var run = await _cli.RunAsync("completion bash");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[suggest:${COMP_POINT}]", run.Out, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _cpctl_complete cpctl", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuggestDirective_CompletesVerbs()
    {
        var run = await _cli.RunAsync(["[suggest:9]", "cpctl clu"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("cluster\n", run.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
