using System.CommandLine;
using ControlPlane.Cli.Certificates;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl certs create</c>: a private CA and a certificate per member, for ControlPlane:Security:Tls.</summary>
internal static class CertsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var members = new Argument<string[]>("MEMBER") { Description = "Member names; each gets MEMBER.crt and MEMBER.key", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Directory to write into (created; existing files are never overwritten)", Required = true, HelpName = "DIR" };
        var hosts = new Option<string[]>("--host")
        {
            Description = "IP address or DNS name the members are reached at; repeat it (default: 127.0.0.1, ::1, localhost)",
            HelpName = "HOST",
            AllowMultipleArgumentsPerToken = false,
        };
        var days = new Option<int>("--days") { Description = "Validity in days (default 365)", DefaultValueFactory = _ => 365, HelpName = "N" };
        var create = new Command("create", "Write ca.crt, ca.key and a certificate and key per member (PEM)") { members, output, hosts, days };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetRequiredValue(members);
            var validity = parse.GetValue(days);
            var usage = names.FirstOrDefault(n => n.Length == 0 || n.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')) is { } bad
                ? $"member name \"{bad}\": use letters, digits, '-', '_' or '.'"
                : validity is < 1 or > 3650 ? $"--days {validity}: between 1 and 3650" : null;
            if (usage is not null)
            {
                await environment.Error.WriteLineAsync($"error: {usage}");
                return ExitCodes.Usage;
            }

            var hostList = parse.GetValue(hosts) is { Length: > 0 } given ? given : ["127.0.0.1", "::1", "localhost"];
            IReadOnlyList<string> written;
            try
            {
                written = ClusterCertificates.Create(parse.GetRequiredValue(output), names, hostList, TimeSpan.FromDays(validity), environment.Time.GetUtcNow());
            }
            catch (IOException e)
            {
                await environment.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Error;
            }

            foreach (var file in written) await environment.Out.WriteLineAsync(file);
            await environment.Out.WriteLineAsync($"Keep {ClusterCertificates.CaKey} off the members: whoever holds it can make members of this cluster.");
            return ExitCodes.Success;
        });
        return new Command("certs", "Certificates for TLS") { create };
    }
}
