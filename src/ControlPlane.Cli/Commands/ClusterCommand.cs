using System.CommandLine;
using ControlPlane.Cli.Output;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl cluster status</c>: every member's role, term and indexes, as one member sees them.</summary>
internal static class ClusterCommand
{
    public static Command Create(VerbRunner runner)
    {
        var status = new Command("status", "Show every member: role, term, commit and applied index, reachability");
        runner.SetAction(status, async (invocation, parse, cancellationToken) =>
        {
            var cluster = await invocation.Client.GetClusterStatusAsync(cancellationToken);
            await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
                ? ObjectPrinter.ClusterTable(cluster)
                : ObjectPrinter.Render(ObjectPrinter.ToJson(cluster), invocation.Format));
            return ExitCodes.Success;
        });
        return new Command("cluster", "Cluster membership and health") { status };
    }
}
