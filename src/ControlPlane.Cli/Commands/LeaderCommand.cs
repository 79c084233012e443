using System.CommandLine;
using ControlPlane.Cli.Output;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl leader resign</c>: the leader steps down and a normal election follows (there is no chosen successor).</summary>
internal static class LeaderCommand
{
    public static Command Create(VerbRunner runner)
    {
        var resign = new Command("resign", "Make the leader step down; answers once a leader is known again (it may win again)");
        runner.SetAction(resign, async (invocation, parse, cancellationToken) =>
        {
            var result = await invocation.Client.ResignLeaderAsync(cancellationToken);
            await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
                ? $"leader {Or(result.PreviousLeaderRaftEndpoint, "(none)")} resigned; leader now {Or(result.LeaderRaftEndpoint, "not yet elected")} (term {result.Term}, after {result.Elapsed.TotalMilliseconds:0} ms)\n"
                : ObjectPrinter.Render(ObjectPrinter.ToJson(result), invocation.Format));
            return ExitCodes.Success;
        });
        return new Command("leader", "Leadership") { resign };
    }

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
}
