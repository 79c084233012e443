using System.Net;
using ControlPlane.Contracts.V1;
using ControlPlane.Controllers.Resolver;
using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Store;
using ControlPlane.Node.Api;
using ControlPlane.Node.Configuration;
using ControlPlane.Node.Hosting;
using ControlPlane.Node.Security;
using ControlPlane.Node.Telemetry;
using ControlPlane.Replication;
using ControlPlane.Replication.Membership;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// --restore-only seeds a data directory from a snapshot and exits (cpctl snapshot restore runs it): a bare flag,
// taken out before the configuration sees the arguments.
var restoreOnly = args.Contains(OfflineRestore.Flag, StringComparer.Ordinal);
args = [.. args.Where(a => a != OfflineRestore.Flag)];

// No configuration reload: options are bound once at start, and the reload watcher watches the content root (the
// working directory) recursively, so with the data directory below it every WAL checkpoint write woke a file-watch
// thread on every node of a local cluster (about 6 % of the machine's CPU under write load).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });

// Sources, lowest first: appsettings.json, the --config file, environment (ControlPlane__...), command line.
if (builder.Configuration["config"] is { Length: > 0 } configFile)
{
    if (!File.Exists(configFile)) throw new FileNotFoundException($"--config file {Path.GetFullPath(configFile)} does not exist", configFile);
    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
    builder.Configuration.AddEnvironmentVariables();
    builder.Configuration.AddCommandLine(args);
}

NodeLogging.Configure(builder.Logging);

var nodeOptions = Bind<NodeOptions>(NodeOptions.Section);
if (builder.Configuration["restore-snapshot"] is { Length: > 0 } restoreFrom) nodeOptions.RestoreFromSnapshot = restoreFrom;
if (restoreOnly)
{
    // Offline: only the snapshot and the data directory matter, so the rest of the configuration is not checked.
    Environment.ExitCode = await OfflineRestore.RunAsync(nodeOptions.RestoreFromSnapshot, nodeOptions.DataDirectory, Console.Out, Console.Error, CancellationToken.None);
    return;
}

var clusterOptions = Bind<ClusterOptions>(ClusterOptions.Section);
var storageOptions = Bind<StorageOptions>(StorageOptions.Section);
var raftOptions = Bind<RaftOptions>(RaftOptions.Section);
var watchOptions = Bind<WatchOptions>(WatchOptions.Section);
var securityOptions = Bind<SecurityOptions>(SecurityOptions.Section);
if (storageOptions.SnapshotThresholdBytes is { } threshold) raftOptions.SnapshotThresholdBytes = threshold;
Validate(nodeOptions, NodeOptions.Section);
Validate(storageOptions, StorageOptions.Section);
Validate(raftOptions, RaftOptions.Section);
Validate(watchOptions, WatchOptions.Section);
if (raftOptions.LowerElectionTimeoutMs >= raftOptions.UpperElectionTimeoutMs)
{
    throw new InvalidOperationException($"{RaftOptions.Section}: LowerElectionTimeoutMs ({raftOptions.LowerElectionTimeoutMs}) must be less than UpperElectionTimeoutMs ({raftOptions.UpperElectionTimeoutMs})");
}

// Read before the node starts, so a bad token file or certificate stops it with a message naming the file.
TokenTable? tokens = null;
TlsMaterial? tls = null;
WriteRateLimiter? rateLimiter = null;
try
{
    tokens = string.IsNullOrWhiteSpace(securityOptions.TokenFile) ? null : TokenTable.Load(securityOptions.TokenFile);
    tls = securityOptions.Tls.Enabled ? TlsMaterial.Load(securityOptions.Tls) : null;
    rateLimiter = securityOptions.RateLimit.Enabled ? new WriteRateLimiter(securityOptions.RateLimit) : null;
}
catch (Exception e) when (e is InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
{
    await Console.Error.WriteLineAsync($"ControlPlane.Node cannot start: {SecurityOptions.Section}: {e.Message}");
    Environment.Exit(2);
}

var identity = NodeConfiguration.ToIdentity(nodeOptions, clusterOptions, storageOptions, tls is null ? null : new RaftTls(tls.Certificate, tls.ValidatePeer), authenticated: tokens is not null);
var grpcUrl = new Uri(nodeOptions.GrpcListenUrl ?? nodeOptions.GrpcEndpoint);
var adminUrl = new Uri(nodeOptions.AdminListenUrl ?? nodeOptions.AdminEndpoint);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    Listen(kestrel, grpcUrl, HttpProtocols.Http2, tls?.Certificate);
    Listen(kestrel, adminUrl, HttpProtocols.Http1, null);
    kestrel.Limits.MaxRequestBodySize = storageOptions.MaxObjectBytes * 2L;
});

using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).AddFilter("DotNext", LogLevel.Warning).SetMinimumLevel(LogLevel.Information));
RaftNode node;
try
{
    node = await RaftNode.CreateAsync(identity, raftOptions, loggerFactory, CancellationToken.None, watchOptions.ToHubOptions());
}
catch (Exception e) when (e is RemovedMemberException or InvalidOperationException or InvalidDataException or FileNotFoundException)
{
    // A refusal to start (a removed member's data, a restore into a used directory, an unusable snapshot) is
    // an operator's problem to fix, not a crash: say what and how, and exit non-zero.
    await Console.Error.WriteLineAsync($"ControlPlane.Node {identity.Name} cannot start: {e.Message}");
    Environment.Exit(e is RemovedMemberException ? 3 : 2);
    throw;
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new WatchPacer(TimeSpan.FromMilliseconds(watchOptions.CoalesceIntervalMs), watchOptions.CoalesceMessagesPerSecond, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(node);
builder.Services.AddSingleton(Options.Create(storageOptions));
builder.Services.AddSingleton<RaftResourceStore>();
builder.Services.AddSingleton<RaftLeadership>();
builder.Services.AddSingleton(_ => new PeerChannels(tokens?.MemberToken, tls is null ? null : tls.ValidatePeer));
if (tokens is not null) builder.Services.AddSingleton(tokens);
builder.Services.AddSingleton<LeaderRouter>();
builder.Services.AddSingleton(sp => new WriteCoordinator(sp.GetRequiredService<RaftResourceStore>(), sp.GetRequiredService<LeaderRouter>(), authenticated: tokens is not null));
builder.Services.AddSingleton<MemberProber>();
builder.Services.AddSingleton<IMemberClient>(sp => sp.GetRequiredService<MemberProber>());
builder.Services.AddSingleton<MembershipManager>();
builder.Services.AddSingleton<NodeStatusProvider>();
builder.Services.AddSingleton<NodeTelemetry>();
builder.Services.AddHostedService<RaftNodeService>();
builder.Services.AddHostedService<MembershipWatchdog>();

// Leader-only controllers, registered after the Raft service so they start after it and stop before it.
builder.Services.AddSingleton<IResourceStore>(sp => sp.GetRequiredService<RaftResourceStore>());
builder.Services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<RaftLeadership>());
builder.Services.AddSingleton<GoalReconciler>();
builder.Services.AddControlPlaneControllers(o => o.StopTimeout = TimeSpan.FromMilliseconds(raftOptions.LowerElectionTimeoutMs));
builder.Services.AddController(sp => sp.GetRequiredService<GoalReconciler>().Definition());
builder.Services.AddGrpc(o =>
{
    o.Interceptors.Add<ErrorMappingInterceptor>();
    if (tokens is not null) o.Interceptors.Add<AuthorizationInterceptor>();
    if (rateLimiter is not null) o.Interceptors.Add<WriteRateLimitInterceptor>(rateLimiter, tokens is not null);
    o.Interceptors.Add<RemovedNodeInterceptor>();
    o.MaxReceiveMessageSize = storageOptions.MaxObjectBytes * 2;
    o.MaxSendMessageSize = 64 << 20;
});
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks()
    .AddCheck("raft", () => node.IsRemoved ? HealthCheckResult.Unhealthy("this node was removed from the cluster")
        : node.Cluster.Leader is not null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no leader known"));

var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
var otlp = telemetry.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
var openTelemetry = builder.Services.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("controlplane-node", serviceInstanceId: identity.Name))
    .WithMetrics(m =>
    {
        // System.Runtime: the runtime's own meter (GC collections and heap sizes, thread pool, CPU time), what etcd's
        // go_memstats are to it; observable instruments only, read at scrape time.
        m.AddMeter(NodeTelemetry.MeterName, ControllerMetrics.MeterName, "System.Runtime").AddMeter(NodeTelemetry.DotNextMeters).AddAspNetCoreInstrumentation().AddPrometheusExporter();
        if (!string.IsNullOrEmpty(otlp)) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
    });

// Traces only when they go somewhere: a tracer provider with no exporter still records an activity for every call
// (sampled, tagged, then dropped), which the write path paid for on every request.
if (!string.IsNullOrEmpty(otlp))
{
    openTelemetry.WithTracing(t => t
        .AddAspNetCoreInstrumentation().AddGrpcClientInstrumentation().AddSource(NodeTelemetry.ActivitySourceName)
        .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
}

var app = builder.Build();

// gRPC is served only on the gRPC port and the admin endpoints only on the admin port, decided by the local
// port (not the Host header, which proxies and port mappings rewrite).
app.Use((context, next) =>
{
    var onAdminPort = context.Connection.LocalPort == adminUrl.Port;
    var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
    if (onAdminPort == isGrpc)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    return next(context);
});
app.MapGrpcService<ResourceApiService>();
app.MapGrpcService<ClusterApiService>();
app.MapGrpcService<AdminApiService>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/readyz", (RaftNode n) => n.IsRemoved ? Results.Text("not ready: this node was removed from the cluster", statusCode: 503)
    : n.Cluster.Leader is not null && n.Cluster.Readiness.IsCompletedSuccessfully ? Results.Text("ready")
    : Results.Text("not ready: no leader known or not yet a member", statusCode: 503));
app.MapGet("/status", async (NodeStatusProvider status, CancellationToken ct) =>
{
    var s = status.GetLocal();
    return Results.Json(new
    {
        name = s.Name,
        raftEndpoint = s.RaftEndpoint,
        grpcEndpoint = s.GrpcEndpoint,
        role = s.Role switch { NodeRole.Leader => "Leader", NodeRole.Follower => "Follower", NodeRole.Candidate => "Candidate", NodeRole.Standby => "Standby", _ => "Unknown" },
        term = s.Term,
        leaderRaftEndpoint = s.LeaderRaftEndpoint,
        leaderGrpcEndpoint = await status.LeaderGrpcEndpointAsync(ct) ?? string.Empty,
        lastLogIndex = s.LastLogIndex,
        commitIndex = s.CommitIndex,
        appliedIndex = s.AppliedIndex,
        objectCount = s.ObjectCount,
        stateHash = s.StateHash,
        version = s.Version,
        removed = s.Removed,
    });
});
app.MapPrometheusScrapingEndpoint("/metrics");
_ = app.Services.GetRequiredService<NodeTelemetry>();

if (tls is not null)
{
    app.Logger.LogInformation("TLS: gRPC over HTTPS and mutual TLS between members, certificate {Subject} (expires {Expiry:u})", tls.Certificate.Subject, tls.Certificate.NotAfter.ToUniversalTime());
}
else
{
    app.Logger.LogWarning(tokens is null
        ? "Running in insecure mode: plaintext gRPC and Raft, no client authentication. For development and private test networks only."
        : "Running with plaintext gRPC and Raft: bearer tokens cross the network in clear. For development and private test networks only.");
}

if (tls is not null && tokens is null)
{
    app.Logger.LogWarning("TLS is on but clients are not authenticated ({Section}:TokenFile is not set): any client that reaches the gRPC port can read, write and change membership; the node binds to loopback only unless AllowInsecureRemote", SecurityOptions.Section);
}

if (tokens is not null)
{
    app.Logger.LogInformation("Clients authenticate with bearer tokens: {Count} token(s) from {TokenFile}; every mutating or admin call is audited (category ControlPlane.Audit)", tokens.Count, Path.GetFullPath(securityOptions.TokenFile!));
}

foreach (var warning in new[]
{
    tokens is null ? null : SecretFile.GroupReadWarning(Path.GetFullPath(securityOptions.TokenFile!), "token file"),
    tls is null ? null : SecretFile.GroupReadWarning(Path.GetFullPath(securityOptions.Tls.KeyFile!), $"{SecurityOptions.Section}:Tls:KeyFile"),
})
{
    if (warning is not null) app.Logger.LogWarning("{Warning}", warning);
}

app.Logger.LogInformation("Node {Name}: gRPC {Grpc}, admin {Admin}, Raft {Raft}, data {Data}", identity.Name, identity.GrpcEndpoint, nodeOptions.AdminEndpoint, identity.RaftEndpoint, identity.DataDirectory);
await app.RunAsync();
await node.DisposeAsync();

T Bind<T>(string section)
    where T : new() => builder.Configuration.GetSection(section).Get<T>() ?? new T();

static void Validate(object options, string section)
{
    var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
    if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true))
    {
        throw new InvalidOperationException($"invalid configuration in {section}: " + string.Join("; ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
    }
}

static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
{
    Action<ListenOptions> configure = o =>
    {
        o.Protocols = protocols;
        if (certificate is not null) o.UseHttps(certificate);
    };
    if (url.Host is "0.0.0.0" or "*" or "+" or "[::]") kestrel.ListenAnyIP(url.Port, configure);
    else if (url.Host is "localhost") kestrel.ListenLocalhost(url.Port, configure);
    else kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, configure);
}
