using ControlPlane.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Samples.Watch;

/// <summary>Runs one informer for the host's lifetime and prints each change of its cache.</summary>
public sealed class InformerWorker(IControlPlaneClient client, IOptions<SampleOptions> options, ILogger<ResourceInformer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sample = options.Value;
        var informer = new ResourceInformer(client, new ResourceInformerOptions(sample.ApiVersion, sample.Kind)
        {
            Namespace = sample.Namespace,
            LabelSelector = sample.LabelSelector,
        }, logger);
        informer.AddHandler(change => Console.WriteLine(change.Type switch
        {
            InformerEventType.Added => $"added    {Describe(change)} at {change.ResourceVersion}",
            InformerEventType.Updated => $"updated  {Describe(change)} at {change.ResourceVersion} (generation {Generation(change.OldObject!)} -> {Generation(change.Object)})",
            _ => $"deleted  {Describe(change)} at {change.ResourceVersion}",
        }));

        var run = informer.RunAsync(stoppingToken);
        await informer.WaitForSyncAsync(stoppingToken);
        Console.WriteLine($"synced: {informer.Count} {sample.Kind} objects at resourceVersion {informer.LastSyncResourceVersion}; watching (Ctrl-C to stop)");
        try
        {
            await run;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Console.WriteLine($"stopped at resourceVersion {informer.LastSyncResourceVersion} with {informer.Count} objects cached");
        }
    }

    private static string Describe(InformerEvent change) => change.Namespace.Length == 0 ? change.Name : $"{change.Namespace}/{change.Name}";

    private static string Generation(System.Text.Json.Nodes.JsonObject obj) => obj["metadata"]?["generation"]?.ToJsonString() ?? "?";
}
