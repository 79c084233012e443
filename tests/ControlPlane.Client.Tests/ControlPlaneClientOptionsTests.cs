using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Client.Tests;

public sealed class ControlPlaneClientOptionsTests
{
    [Fact]
    public void Defaults_AreTheLocalThreeNodeCluster()
    {
        var options = new ControlPlaneClientOptions();

        Assert.Equal(["http://127.0.0.1:7101", "http://127.0.0.1:7102", "http://127.0.0.1:7103"], options.EffectiveEndpoints);
        Assert.True(new ControlPlaneClientOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:7101")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:7101/api")]
    [InlineData("not a url")]
    public void Validate_BadEndpoint_NamesIt(string endpoint)
    {
        var options = new ControlPlaneClientOptions();
        options.Endpoints.Add(endpoint);

        var result = new ControlPlaneClientOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(endpoint, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadNumbers_ListsEveryProblem()
    {
        var options = new ControlPlaneClientOptions
        {
            CallTimeout = TimeSpan.Zero,
            MaxAttempts = 0,
            RetryBackoffBase = TimeSpan.FromSeconds(3),
            RetryBackoffMax = TimeSpan.FromSeconds(1),
        };

        var result = new ControlPlaneClientOptionsValidator().Validate(null, options);

        Assert.Contains("CallTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("RetryBackoffMax", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    public void Validate_BadBearerToken_IsRefused(string token)
    {
        var result = new ControlPlaneClientOptionsValidator().Validate(null, new ControlPlaneClientOptions { BearerToken = token });

        Assert.True(result.Failed);
        Assert.Contains("BearerToken", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ABearerTokenForAnHttpEndpoint_LogsAWarning_AndNoneForHttps()
    {
        var plain = new WarningLog();
        using (new ControlPlaneClient(new ControlPlaneClientOptions { BearerToken = "token-0123456789abcdef" }, plain)) { }
        var secure = new WarningLog();
        var https = new ControlPlaneClientOptions { BearerToken = "token-0123456789abcdef" };
        https.Endpoints.Add("https://127.0.0.1:7101");
        using (new ControlPlaneClient(https, secure)) { }

        Assert.Equal(["A bearer token is configured, but http://127.0.0.1:7101 is an http:// endpoint: the token crosses the network in clear"], plain.Warnings);
        Assert.Empty(secure.Warnings);
    }

    private sealed class WarningLog : Microsoft.Extensions.Logging.ILogger<ControlPlaneClient>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        var options = new ControlPlaneClientOptions { MaxAttempts = 0 };

        Assert.Throws<OptionsValidationException>(() => new ControlPlaneClient(options));
    }

    [Fact]
    public void Constructor_NormalizesEndpoints_AndAcceptsHostPort()
    {
        var options = new ControlPlaneClientOptions();
        options.Endpoints.Add("HTTP://LocalHost:7201/");
        options.Endpoints.Add("127.0.0.1:7202");

        using var client = new ControlPlaneClient(options);

        Assert.Equal(["http://localhost:7201", "http://127.0.0.1:7202"], client.Endpoints);
    }

    [Fact]
    public void AddControlPlaneClient_RegistersOneConfiguredClientForBothServiceTypes()
    {
        var services = new ServiceCollection();
        services.AddControlPlaneClient(o => o.Endpoints.Add("http://10.0.0.1:7101"));
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ControlPlaneClient>();

        Assert.Same(client, provider.GetRequiredService<IControlPlaneClient>());
        Assert.Equal(["http://10.0.0.1:7101"], client.Endpoints);
    }

    [Fact]
    public void AddControlPlaneClient_InvalidOptions_FailOnResolve()
    {
        var services = new ServiceCollection();
        services.AddControlPlaneClient(o => o.Endpoints.Add("nonsense://x"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IControlPlaneClient>());
        Assert.Contains("nonsense://x", error.Message, StringComparison.Ordinal);
    }
}
