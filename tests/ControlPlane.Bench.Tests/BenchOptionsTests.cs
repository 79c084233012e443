using ControlPlane.Bench.Cli;

namespace ControlPlane.Bench.Tests;

public class BenchOptionsTests
{
    [Fact]
    public void Run_WithRequiredOptions_TakesDefaults()
    {
        var o = BenchOptions.Parse(["run", "--target", "etcd", "--endpoints", "127.0.0.1:2379", "--scenario", "put"]);
        Assert.Equal(CommandKind.Run, o.Command);
        Assert.Equal(TargetKind.Etcd, o.Target);
        Assert.Equal(ScenarioKind.Put, o.Scenario);
        Assert.Equal(new Uri("http://127.0.0.1:2379"), Assert.Single(o.Endpoints));
        Assert.Equal(1, o.Concurrency);
        Assert.Equal(256, o.ValueSize);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Warmup);
        Assert.True(o.LinearizableReads);
        Assert.True(o.Progress);
        Assert.Null(o.JsonPath);
    }

    [Theory]
    [InlineData("controlplane", TargetKind.ControlPlane)]
    [InlineData("cp", TargetKind.ControlPlane)]
    [InlineData("controlplane-grpc", TargetKind.ControlPlaneGrpc)]
    [InlineData("CP-GRPC", TargetKind.ControlPlaneGrpc)]
    [InlineData("etcd", TargetKind.Etcd)]
    public void Target_NamesTheSdkTheRawGrpcClientOrEtcd(string name, TargetKind expected)
    {
        var o = BenchOptions.Parse(["run", "--target", name, "--endpoints", "127.0.0.1:1", "--scenario", "put"]);
        Assert.Equal(expected, o.Target);
    }

    [Fact]
    public void Run_ReadsEveryOption_InBothSpellings()
    {
        var o = BenchOptions.Parse([
            "run", "--target=controlplane", "--endpoints", "http://127.0.0.1:7101, http://127.0.0.1:7102", "--scenario", "Watch",
            "--concurrency", "64", "--value-size=1024", "--keys", "100000", "--duration", "1.5m", "--warmup", "0",
            "--read", "local", "--page-size", "100", "--watchers", "1000", "--rate", "0", "--timeout", "250ms",
            "--json", "out.json", "--no-progress",
        ]);
        Assert.Equal(TargetKind.ControlPlane, o.Target);
        Assert.Equal(2, o.Endpoints.Count);
        Assert.Equal(ScenarioKind.Watch, o.Scenario);
        Assert.Equal(64, o.Concurrency);
        Assert.Equal(1024, o.ValueSize);
        Assert.Equal(100_000, o.Keys);
        Assert.Equal(TimeSpan.FromSeconds(90), o.Duration);
        Assert.Equal(TimeSpan.Zero, o.Warmup);
        Assert.False(o.LinearizableReads);
        Assert.Equal(100, o.PageSize);
        Assert.Equal(1000, o.Watchers);
        Assert.Equal(0, o.Rate);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.Timeout);
        Assert.Equal("out.json", o.JsonPath);
        Assert.False(o.Progress);
    }

    [Fact]
    public void Wait_NeedsNoScenario_AndWaitsLongerByDefault()
    {
        var o = BenchOptions.Parse(["wait", "--target", "cp", "--endpoints", "http://127.0.0.1:7101"]);
        Assert.Equal(CommandKind.Wait, o.Command);
        Assert.Equal(TimeSpan.FromSeconds(60), o.Timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("run --help")]
    public void Help_IsRecognised(string commandLine) =>
        Assert.Equal(CommandKind.Help, BenchOptions.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Command);

    [Theory]
    [InlineData("unknown command \"bench\"", "bench")]
    [InlineData("--target is required", "run", "--endpoints", "127.0.0.1:1", "--scenario", "put")]
    [InlineData("--endpoints is required", "run", "--target", "etcd", "--scenario", "put")]
    [InlineData("--scenario is required", "run", "--target", "etcd", "--endpoints", "127.0.0.1:1")]
    [InlineData("--target: \"zookeeper\" is not a target", "run", "--target", "zookeeper")]
    [InlineData("--scenario: \"delete\" is not a scenario", "run", "--scenario", "delete")]
    [InlineData("--scenario: \"1\" is not a scenario", "run", "--scenario", "1")]
    [InlineData("--concurrency: \"many\" is not a whole number", "run", "--concurrency", "many")]
    [InlineData("--concurrency: 0 is outside 1..10000", "run", "--concurrency", "0")]
    [InlineData("--value-size: 10 is outside 64..1048576", "run", "--value-size", "10")]
    [InlineData("--duration: \"soon\" is not a duration", "run", "--duration", "soon")]
    [InlineData("--duration must be more than zero", "run", "--duration", "0s")]
    [InlineData("--warmup: 25h is longer than a day", "run", "--warmup", "25h")]
    [InlineData("--read: \"quorum\" is not a read mode", "run", "--read", "quorum")]
    [InlineData("--endpoints: \"ftp://x:1\" is not an http(s) URL with a port", "run", "--endpoints", "ftp://x:1")]
    [InlineData("--endpoints: \"http://127.0.0.1\" is not an http(s) URL with a port", "run", "--endpoints", "http://127.0.0.1")]
    [InlineData("unknown option --clients", "run", "--clients", "4")]
    [InlineData("--keys needs a value", "run", "--keys")]
    [InlineData("--keys is given more than once", "run", "--keys", "1", "--keys", "2")]
    [InlineData("--no-progress takes no value", "run", "--no-progress=yes")]
    [InlineData("unexpected argument \"put\"", "run", "put")]
    public void BadArguments_AreRefused_NamingTheProblem(string expected, params string[] args)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(args));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("7", 7_000)]
    [InlineData("0.5s", 500)]
    public void Durations_Parse(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BenchOptions.ParseDuration("duration", text, allowZero: false));
}
