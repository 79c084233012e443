using System.CommandLine;
using System.Globalization;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// <c>cpctl member list|add|remove|replace</c>: cluster membership, one change at a time, run by the leader.
/// Replace is add-then-remove, so the cluster never has fewer members than before while the new one catches up.
/// </summary>
internal static class MemberCommand
{
    public static Command Create(VerbRunner runner) => new("member", "List, add, remove and replace cluster members")
    {
        List(runner), Add(runner), Remove(runner), Replace(runner),
    };

    private static Command List(VerbRunner runner)
    {
        var local = new Option<bool>("--local") { Description = "Answer from the first reachable node's own view, without the leader (when there is none)" };
        var command = new Command("list", "Show every member: name, endpoints, role, term, applied index, reachability") { local };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var list = await invocation.Client.ListMembersAsync(parse.GetValue(local), cancellationToken);
            await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
                ? ObjectPrinter.MemberTable(list.Members) + (list.ChangeInProgress.Length > 0 ? $"change in progress: {list.ChangeInProgress}\n" : string.Empty)
                : ObjectPrinter.Render(ObjectPrinter.ToJson(list), invocation.Format));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add(VerbRunner runner)
    {
        var name = NameArgument("NAME", "The new member's name (its ControlPlane:Node:Name)");
        var options = new AddOptions();
        var requestId = RequestIdOption();
        var command = new Command("add", "Add a started node that has no initial members, once it has caught up with the leader")
        {
            name, options.Raft, options.Grpc, options.CatchUpTimeout, requestId,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var change = await options.AddAsync(invocation, parse, parse.GetValue(name)!, parse.GetValue(requestId), cancellationToken);
            await PrintAsync(invocation, change, "added", "already a member");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(VerbRunner runner)
    {
        var member = NameArgument("MEMBER", "The member's name, or its Raft endpoint IP:PORT");
        var requestId = RequestIdOption();
        var command = new Command("remove", "Remove a member (the leader too); refused when the remaining members could not form a quorum")
        {
            member, requestId,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var change = await invocation.Client.RemoveMemberAsync(parse.GetValue(member)!, parse.GetValue(requestId), cancellationToken);
            await PrintAsync(invocation, change, "removed", "already removed");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Replace(VerbRunner runner)
    {
        var old = NameArgument("OLD", "The member to replace: its name or Raft endpoint");
        var name = NameArgument("NEW", "The new member's name");
        var options = new AddOptions();
        var command = new Command("replace", "Add NEW, then remove OLD (OLD stays when NEW cannot be added)")
        {
            old, name, options.Raft, options.Grpc, options.CatchUpTimeout,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var added = await options.AddAsync(invocation, parse, parse.GetValue(name)!, requestId: null, cancellationToken);
            await PrintAsync(invocation, added, "added", "already a member");
            MemberChange removed;
            try
            {
                removed = await invocation.Client.RemoveMemberAsync(parse.GetValue(old)!, cancellationToken: cancellationToken);
            }
            catch (ControlPlaneClientException ex)
            {
                throw new ControlPlaneClientException(ex.Reason, $"{added.Member.Name} was added but {parse.GetValue(old)} was not removed: {ex.Message}; remove it with: cpctl member remove {parse.GetValue(old)}", ex);
            }

            await PrintAsync(invocation, removed, "removed", "already removed");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task PrintAsync(Invocation invocation, MemberChange change, string verb, string unchanged)
    {
        if (invocation.Format != OutputFormat.Table)
        {
            await invocation.Out.WriteAsync(ObjectPrinter.Render(ObjectPrinter.ToJson(change), invocation.Format));
            return;
        }

        var member = change.Member.Name.Length > 0 ? change.Member.Name : change.Member.RaftEndpoint;
        var details = new List<string> { $"configuration index {Number(change.ConfigurationIndex)}", $"{change.Members.Count} members" };
        if (change.Progress is { } p && !change.NothingChanged)
        {
            details.Add(p.MemberAppliedIndex < 0
                ? $"caught up in {p.Elapsed.TotalSeconds:0.0}s"
                : $"caught up in {p.Elapsed.TotalSeconds:0.0}s: applied {Number(p.MemberAppliedIndex)} of the leader's {Number(p.LeaderCommitIndex)}");
        }

        if (change.Replayed) details.Add("answered from an earlier request with the same id");
        await invocation.Out.WriteAsync($"member/{member} {(change.NothingChanged ? $"unchanged ({unchanged})" : verb)} ({string.Join("; ", details)})\n");
        if (change.RemovedNodeNotified == false && !change.NothingChanged)
        {
            await invocation.Error.WriteLineAsync($"warning: {member} did not acknowledge its removal (unreachable?); it finds out when it comes back, or stop it by hand");
        }
    }

    private static Argument<string> NameArgument(string name, string description) =>
        new Argument<string>(name) { Description = description }.RejectOptionLikeValues();

    private static Option<string?> RequestIdOption() => new("--request-id")
    {
        Description = "Idempotency key: a retry with the same id answers the first outcome (default: a new id)",
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The options that describe a new member, shared by add and replace.</summary>
    private sealed class AddOptions
    {
        public Option<string> Raft { get; } = new("--raft") { Description = "Its Raft endpoint, IP:PORT (ControlPlane:Node:RaftEndpoint)", Required = true, HelpName = "IP:PORT" };

        public Option<string> Grpc { get; } = new("--grpc") { Description = "Its gRPC endpoint (ControlPlane:Node:GrpcEndpoint)", Required = true, HelpName = "URL" };

        public Option<string?> CatchUpTimeout { get; } = new("--catch-up-timeout")
        {
            Description = "How long the leader tries to catch it up before refusing (default 30s; keep it below --timeout)",
            HelpName = "DURATION",
        };

        public Task<MemberChange> AddAsync(Invocation invocation, ParseResult parse, string name, string? requestId, CancellationToken cancellationToken)
        {
            var catchUp = parse.GetValue(CatchUpTimeout) is { } text ? Invocation.ParseDuration(text, "--catch-up-timeout") : (TimeSpan?)null;
            return invocation.Client.AddMemberAsync(name, parse.GetValue(Raft)!, parse.GetValue(Grpc)!, catchUp, requestId, cancellationToken);
        }
    }
}
