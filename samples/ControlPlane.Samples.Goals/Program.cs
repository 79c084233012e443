using ControlPlane.Client;
using ControlPlane.Samples.Goals;

// Applies manifests/plans.yaml and manifests/goals.yaml to a running cluster, prints what the resolver decided for each
// Goal, then changes Plans and Goals and prints each re-resolution.
//   scripts/cluster.sh up
//   dotnet run --project samples/ControlPlane.Samples.Goals [-- --endpoints URL[,URL...]] [--timeout SECONDS]
// Default endpoints: $CP_ENDPOINTS, else the local cluster (127.0.0.1:7101-7103). Safe to run again: the manifests are
// re-applied, which restores every object, and the changes are made again.
var endpoints = Option("--endpoints") ?? Environment.GetEnvironmentVariable("CP_ENDPOINTS");
var timeout = TimeSpan.FromSeconds(double.Parse(Option("--timeout") ?? "30", System.Globalization.CultureInfo.InvariantCulture));
var options = new ControlPlaneClientOptions();
foreach (var endpoint in (endpoints ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
{
    options.Endpoints.Add(endpoint);
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
await using var client = new ControlPlaneClient(options);
try
{
    await new GoalsWalkthrough(client, Path.Combine(AppContext.BaseDirectory, "manifests"), timeout).RunAsync(cancel.Token);
    return 0;
}
catch (Exception e) when (e is ControlPlaneClientException or TimeoutException or FormatException)
{
    await Console.Error.WriteLineAsync($"goals sample: {e.Message}");
    return 1;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
