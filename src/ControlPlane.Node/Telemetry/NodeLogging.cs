namespace ControlPlane.Node.Telemetry;

/// <summary>The node's console logging: one line per message, and what it leaves out.</summary>
public static class NodeLogging
{
    /// <summary>ASP.NET Core's per-request logger: request starts and ends, at Information.</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static void Configure(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = false;
        });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);

        // The hosting layer starts an Activity for every request whenever this logger is enabled at any level, to
        // correlate request logs (HostingApplicationDiagnostics.BeginRequest: logging enabled, a diagnostic listener,
        // or a listener on its ActivitySource). It logs only request starts and ends, at Information, which this node
        // never shows, and the activity cost every call an id, a start, a stop and two execution-context copies.
        // With OTLP tracing configured, the tracer listens to that ActivitySource, so traces still get their activity.
        logging.AddFilter(HostingDiagnostics, LogLevel.None);
    }
}
