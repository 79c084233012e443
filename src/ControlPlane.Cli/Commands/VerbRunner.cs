using System.CommandLine;
using ControlPlane.Cli.Manifests;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>Runs a verb's body and turns its failures into an <c>error: </c> line and an exit code.</summary>
internal sealed class VerbRunner(CliEnvironment environment, GlobalOptions globals)
{
    public void SetAction(Command command, Func<Invocation, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    /// <summary>How cpctl states a server error: the reason, the server's message, and the details that help.</summary>
    public static string Describe(ControlPlaneClientException error)
    {
        var text = $"{error.Reason}: {error.Message}";
        if (error.CurrentResourceVersion is { } current) text += $" (current resourceVersion {current})";
        if (error.Reason is ErrorReason.Unavailable or ErrorReason.DeadlineExceeded && error.Attempts > 1)
            text += $" (gave up after {error.Attempts} attempts; last endpoint {error.Endpoint})";
        return text;
    }

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, ParseResult, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        await using var invocation = new Invocation(environment, globals, parse);
        try
        {
            return await body(invocation, parse, cancellationToken);
        }
        catch (UsageException ex)
        {
            await environment.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ControlPlaneClientException ex)
        {
            await environment.Error.WriteLineAsync($"error: {Describe(ex)}");
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is KindResolutionException or ManifestException)
        {
            await environment.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await environment.Error.WriteLineAsync("error: cancelled");
            return ExitCodes.Error;
        }
    }
}
