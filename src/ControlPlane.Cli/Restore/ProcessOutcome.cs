namespace ControlPlane.Cli.Restore;

/// <summary>How a child process ended: its exit code and everything it wrote.</summary>
internal sealed record ProcessOutcome(int ExitCode, string Out, string Error);
