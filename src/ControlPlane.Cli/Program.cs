using ControlPlane.Cli;

return await new CpctlApp(CliEnvironment.FromConsole()).RunAsync(args);
