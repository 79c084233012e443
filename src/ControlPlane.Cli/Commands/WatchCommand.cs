using System.CommandLine;
using System.Globalization;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// <c>cpctl watch KIND [NAME]</c>: streams the kind's changes from now (or after <c>--from</c>) until Ctrl-C, which
/// ends it with exit code 0. The SDK resumes a broken stream on another member without repeating or skipping events.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(VerbRunner runner)
    {
        var kind = new KindArguments();
        var name = new Argument<string?>("NAME") { Description = "Only the object of this name", Arity = ArgumentArity.ZeroOrOne }.RejectOptionLikeValues();
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a", HelpName = "SELECTOR" };
        var from = new Option<string?>("--from")
        {
            Description = "Stream the changes after this resourceVersion (a list's, or the last one printed; 0 for the beginning of history, which expires once the history is compacted) instead of from now",
            HelpName = "RV",
        };
        var command = new Command("watch", "Stream the changes of a kind (every namespace unless -n) until Ctrl-C")
        {
            kind.Kind, name, kind.Namespace, selector, from, kind.ApiVersion,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var start = parse.GetValue(from);
            if (start is not null && !long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new UsageException($"--from \"{start}\" is not a resourceVersion: give a non-negative decimal number, such as the metadata.resourceVersion of get -o json's list or the last one watch printed");

            var resolved = await kind.ResolveAsync(invocation, parse, cancellationToken);
            var request = new WatchRequest(resolved.ApiVersion, resolved.Kind)
            {
                Namespace = parse.GetValue(kind.Namespace),
                Name = parse.GetValue(name),
                LabelSelector = parse.GetValue(selector),
                FromResourceVersion = start,

                // Only the object is printed, so the stream need not carry the previous one.
                OmitPreviousObject = true,
            };
            return await StreamAsync(invocation, request, cancellationToken);
        });
        return command;
    }

    private static async Task<int> StreamAsync(Invocation invocation, WatchRequest request, CancellationToken cancellationToken)
    {
        await invocation.Out.WriteAsync(WatchPrinter.Header(invocation.Format));
        await invocation.Out.FlushAsync(cancellationToken);
        try
        {
            await foreach (var batch in invocation.Client.WatchAsync(request, cancellationToken))
            {
                foreach (var e in batch.Events) await invocation.Out.WriteAsync(WatchPrinter.Format(e, batch.ResourceVersion, invocation.Format));
                await invocation.Out.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the way a watch is meant to end.
            return ExitCodes.Success;
        }
        catch (ExpiredException ex)
        {
            var oldest = ex.OldestResourceVersion is { } rv && !ex.Message.Contains(rv, StringComparison.Ordinal) ? $" (oldest retained resourceVersion {rv})" : string.Empty;
            await invocation.Error.WriteLineAsync($"error: {VerbRunner.Describe(ex)}{oldest}; cpctl get -o json shows the list's resourceVersion to watch --from");
            return ExitCodes.Error;
        }

        return ExitCodes.Success;
    }
}
