using ControlPlane.Cli;

using var signals = new TerminationSignals();
return signals.ExitCode(await new CpctlApp(CliEnvironment.FromConsole()).RunAsync(args, signals.Token));
