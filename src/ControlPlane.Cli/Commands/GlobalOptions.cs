using System.CommandLine;

namespace ControlPlane.Cli.Commands;

/// <summary>Options every verb accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public const string EndpointsVariable = "CP_ENDPOINTS";
    public const string TokenVariable = "CP_TOKEN";
    public const string CaFileVariable = "CP_CA_FILE";

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = $"Comma-separated gRPC endpoints of the cluster (default: ${EndpointsVariable}, else http://127.0.0.1:7101,7102,7103)",
        HelpName = "URL[,URL...]",
        Recursive = true,
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = $"A file whose first line is the bearer token for a cluster with authentication on (default: ${TokenVariable})",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = $"PEM CA certificate(s) to trust for https:// endpoints, e.g. the ca.crt of cpctl certs create (default: ${CaFileVariable})",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> Timeout { get; } = new("--timeout")
    {
        Description = "Deadline of each call, retries included: 500ms, 10s, 2m (default 30s)",
        HelpName = "DURATION",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Endpoints);
        root.Add(TokenFile);
        root.Add(CaFile);
        root.Add(Output);
        root.Add(Timeout);
    }

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json", "yaml");
        return option;
    }
}
