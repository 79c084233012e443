using Microsoft.Extensions.Options;

namespace ControlPlane.Client;

/// <summary>Checks <see cref="ControlPlaneClientOptions"/> before a client is built, naming every problem found.</summary>
public sealed class ControlPlaneClientOptionsValidator : IValidateOptions<ControlPlaneClientOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ControlPlaneClientOptions options)
    {
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when <paramref name="options"/> are not valid.</summary>
    /// <param name="options">The options to check.</param>
    public static void ThrowIfInvalid(ControlPlaneClientOptions options)
    {
        var failures = GetFailures(options);
        if (failures.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(ControlPlaneClientOptions), failures);
    }

    private static List<string> GetFailures(ControlPlaneClientOptions options)
    {
        var failures = new List<string>();
        foreach (var endpoint in options.Endpoints)
        {
            if (!EndpointAddress.TryNormalize(endpoint, out _))
                failures.Add($"Endpoints: '{endpoint}' is not an absolute http:// or https:// URL with a host and a port.");
        }

        if (options.BearerToken is { } token && (token.Length == 0 || token.Any(c => c <= ' ' || c > '~')))
            failures.Add("BearerToken must be non-empty printable ASCII without spaces.");
        if (options.CaCertificateFile is { } caFile && CaFileProblem(caFile) is { } problem)
            failures.Add($"CaCertificateFile {caFile} {problem}.");
        if (options.CallTimeout <= TimeSpan.Zero)
            failures.Add($"CallTimeout must be positive (got {options.CallTimeout}).");
        if (options.AttemptTimeout <= TimeSpan.Zero)
            failures.Add($"AttemptTimeout must be positive (got {options.AttemptTimeout}).");
        if (options.MaxAttempts < 1)
            failures.Add($"MaxAttempts must be at least 1 (got {options.MaxAttempts}).");
        if (options.RetryBackoffBase < TimeSpan.Zero)
            failures.Add($"RetryBackoffBase must not be negative (got {options.RetryBackoffBase}).");
        if (options.RetryBackoffMax < options.RetryBackoffBase)
            failures.Add($"RetryBackoffMax ({options.RetryBackoffMax}) must not be below RetryBackoffBase ({options.RetryBackoffBase}).");
        if (options.ConnectTimeout <= TimeSpan.Zero)
            failures.Add($"ConnectTimeout must be positive (got {options.ConnectTimeout}).");
        if (options.KeepAlivePingDelay <= TimeSpan.Zero || options.KeepAlivePingTimeout <= TimeSpan.Zero)
            failures.Add("KeepAlivePingDelay and KeepAlivePingTimeout must be positive.");
        if (options.WatchBookmarkInterval < TimeSpan.FromMilliseconds(50) || options.WatchBookmarkInterval > TimeSpan.FromHours(1))
            failures.Add($"WatchBookmarkInterval must be between 50 ms and 1 hour (got {options.WatchBookmarkInterval}).");
        if (options.MaxReceiveMessageBytes < 1024)
            failures.Add($"MaxReceiveMessageBytes must be at least 1024 (got {options.MaxReceiveMessageBytes}).");
        return failures;
    }

    private static string? CaFileProblem(string caFile)
    {
        if (!File.Exists(caFile)) return "does not exist";
        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPemFile(caFile);
            return certificates.Count == 0 ? "holds no PEM certificate" : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"cannot be read as PEM certificates: {e.Message}";
        }
    }
}
