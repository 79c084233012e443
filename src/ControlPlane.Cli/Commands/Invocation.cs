using System.CommandLine;
using System.Globalization;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>One run of one verb: its global settings, its output streams, and the client (made on first use, disposed after).</summary>
internal sealed class Invocation(CliEnvironment environment, GlobalOptions globals, ParseResult parse) : IAsyncDisposable
{
    private IControlPlaneClient? _client;

    public TextWriter Out => environment.Out;

    public TextWriter Error => environment.Error;

    public TextReader In => environment.In;

    public DateTimeOffset Now => environment.Time.GetUtcNow();

    public OutputFormat Format { get; } = parse.GetValue(globals.Output) switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };

    public IControlPlaneClient Client => _client ??= environment.CreateClient(BuildClientOptions());

    /// <summary>The client settings from --endpoints (or $CP_ENDPOINTS) and --timeout.</summary>
    /// <exception cref="UsageException">An endpoint or the timeout is malformed.</exception>
    public ControlPlaneClientOptions BuildClientOptions()
    {
        var options = new ControlPlaneClientOptions();
        var endpoints = parse.GetValue(globals.Endpoints);
        var source = "--endpoints";
        if (string.IsNullOrWhiteSpace(endpoints))
        {
            endpoints = environment.GetEnvironmentVariable(GlobalOptions.EndpointsVariable);
            source = "$" + GlobalOptions.EndpointsVariable;
        }

        if (!string.IsNullOrWhiteSpace(endpoints))
        {
            foreach (var endpoint in endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                options.Endpoints.Add(endpoint);
        }

        options.BearerToken = ReadToken();
        options.CaCertificateFile = parse.GetValue(globals.CaFile) is { Length: > 0 } caFile ? caFile
            : environment.GetEnvironmentVariable(GlobalOptions.CaFileVariable) is { Length: > 0 } caVariable ? caVariable : null;
        if (parse.GetValue(globals.Timeout) is { } timeout)
            options.CallTimeout = ParseDuration(timeout);
        if (options.AttemptTimeout > options.CallTimeout) options.AttemptTimeout = options.CallTimeout;

        var validation = new ControlPlaneClientOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new UsageException($"{source}/--timeout/--token-file/--ca-file: {validation.FailureMessage}");
        return options;
    }

    /// <summary>The token from --token-file (its first line), else $CP_TOKEN, else none.</summary>
    private string? ReadToken()
    {
        if (parse.GetValue(globals.TokenFile) is not { Length: > 0 } path)
            return environment.GetEnvironmentVariable(GlobalOptions.TokenVariable) is { Length: > 0 } variable ? variable.Trim() : null;
        string? firstLine;
        try
        {
            firstLine = File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-file {path}: {e.Message}");
        }

        return firstLine is { Length: > 0 } ? firstLine : throw new UsageException($"--token-file {path}: the first line is empty; it should hold the token");
    }

    public async ValueTask DisposeAsync()
    {
        switch (_client)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>"500ms", "10s", "2m", "1h", or a bare number of seconds; <paramref name="option"/> names the flag in errors.</summary>
    internal static TimeSpan ParseDuration(string text, string option = "--timeout")
    {
        var trimmed = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0)
                return TimeSpan.FromSeconds(value * seconds);
        }

        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain) && plain > 0)
            return TimeSpan.FromSeconds(plain);
        throw new UsageException($"{option} \"{text}\" is not a positive duration such as 500ms, 10s or 2m");
    }
}
