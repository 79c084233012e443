using ControlPlane.Node.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Node.Tests;

public sealed class NodeLoggingTests
{
    private static ILoggerFactory Factory()
    {
        var services = new ServiceCollection().AddLogging(NodeLogging.Configure).BuildServiceProvider();
        return services.GetRequiredService<ILoggerFactory>();
    }

    /// <summary>
    /// ASP.NET Core starts an Activity for every request while its request logger is enabled at any level (it asks
    /// for Critical): that logger must be off, or every call pays for an activity nobody reads.
    /// </summary>
    [Fact]
    public void HostingRequestLogger_IsOffAtEveryLevel()
    {
        var hosting = Factory().CreateLogger(NodeLogging.HostingDiagnostics);

        Assert.All(Enum.GetValues<LogLevel>().Where(l => l != LogLevel.None), level => Assert.False(hosting.IsEnabled(level), $"{level} is enabled"));
    }

    /// <summary>Only that logger: the rest of ASP.NET Core and gRPC still report warnings, the node's own code information.</summary>
    [Theory]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning, LogLevel.Information)]
    [InlineData("Microsoft.AspNetCore.Hosting.Lifetime", LogLevel.Warning, LogLevel.Information)]
    [InlineData("Grpc.AspNetCore.Server", LogLevel.Warning, LogLevel.Information)]
    [InlineData("ControlPlane.Node.Api.LeaderRouter", LogLevel.Information, LogLevel.Debug)]
    public void OtherLoggers_KeepTheirLevels(string category, LogLevel enabled, LogLevel disabled)
    {
        var logger = Factory().CreateLogger(category);

        Assert.True(logger.IsEnabled(enabled));
        Assert.False(logger.IsEnabled(disabled));
    }
}
