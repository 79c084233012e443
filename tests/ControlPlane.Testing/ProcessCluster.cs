using System.Globalization;
using System.Text;

namespace ControlPlane.Testing;

/// <summary>
/// A real multi-process cluster on 127.0.0.1: one <c>dotnet ControlPlane.Node.dll --config ...</c> process per node,
/// with allocated ports, in one folder holding every node's config.json, node.log and data/. Node indexes start at 0.
/// Dispose stops every node and deletes the folder, unless <see cref="KeepArtifacts"/> was called (do so when the test
/// fails) or <see cref="ProcessClusterOptions.KeepArtifactsVariable"/>=1; the folder's path is always logged.
/// </summary>
public sealed partial class ProcessCluster : IAsyncDisposable
{
    private readonly NodeProcess[] _nodes;
    private readonly ProcessClusterOptions _options;
    private bool _keepArtifacts;
    private bool _disposed;

    private ProcessCluster(string artifactsDirectory, string nodeDll, NodeProcess[] nodes, ProcessClusterOptions options)
    {
        ArtifactsDirectory = artifactsDirectory;
        NodeDll = nodeDll;
        _nodes = nodes;
        _options = options;
        _channels = new Grpc.Net.Client.GrpcChannel?[nodes.Length];
    }

    /// <summary>This cluster's folder: node{i}/config.json, node{i}/node.log, node{i}/data/.</summary>
    public string ArtifactsDirectory { get; }

    /// <summary>The ControlPlane.Node.dll the nodes run.</summary>
    public string NodeDll { get; }

    public int Count => _nodes.Length;

    public IReadOnlyList<NodeOptions> Nodes => [.. _nodes.Select(n => n.Options)];

    /// <summary>Starts <paramref name="nodes"/> nodes and waits until every node knows the same leader.</summary>
    public static Task<ProcessCluster> StartAsync(
        int nodes = 3, Action<NodeOptions>? configure = null, CancellationToken cancellationToken = default) =>
        StartAsync(new ProcessClusterOptions { Nodes = nodes, Configure = configure }, cancellationToken);

    /// <summary>Starts the cluster <paramref name="options"/> describes and waits until every node knows the same leader.</summary>
    public static async Task<ProcessCluster> StartAsync(ProcessClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Nodes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Nodes, "A cluster needs at least one node.");
        }

        var nodeDll = options.NodeDllPath is { } path ? RequireFile(path) : NodeBinary.Locate();
        var directory = CreateArtifactsDirectory(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Joining);
        var ports = PortAllocator.Allocate((options.Nodes + options.Joining) * 3);
        var nodeOptions = Enumerable.Range(0, options.Nodes + options.Joining)
            .Select(i => new NodeOptions(i, ports[3 * i], ports[(3 * i) + 1], ports[(3 * i) + 2], Path.Combine(directory, $"node{i}", "data")))
            .ToArray();
        foreach (var node in nodeOptions)
        {
            options.Configure?.Invoke(node);
        }

        if (nodeOptions.GroupBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Two nodes are named '{duplicate.Key}': node names must be unique.", nameof(options));
        }

        var dotnet = DotnetHost();
        var processes = new NodeProcess[nodeOptions.Length];
        foreach (var node in nodeOptions)
        {
            var nodeDirectory = Path.Combine(directory, $"node{node.Index}");
            Directory.CreateDirectory(nodeDirectory);
            var configPath = Path.Combine(nodeDirectory, "config.json");
            var initialMembers = node.Index < options.Nodes ? nodeOptions[..options.Nodes] : [];
            await File.WriteAllTextAsync(configPath, NodeConfigFile.Render(node, initialMembers), cancellationToken);
            processes[node.Index] = new NodeProcess(node, dotnet, nodeDll, configPath, Path.Combine(nodeDirectory, "node.log"));
        }

        var cluster = new ProcessCluster(directory, nodeDll, processes, options);
        cluster.Log($"process cluster: {processes.Length} nodes in {directory}, running {nodeDll}");
        try
        {
            foreach (var process in processes.Take(options.Nodes))
            {
                await process.StartAsync();
            }

            await cluster.WaitForLeaderAsync(options.StartTimeout, cancellationToken: cancellationToken);
            return cluster;
        }
        catch
        {
            cluster.KeepArtifacts();
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keep the cluster folder after dispose: call it when the test failed.</summary>
    public void KeepArtifacts() => _keepArtifacts = true;

    public Uri GrpcEndpoint(int index) => Node(index).Options.GrpcEndpoint;

    public IReadOnlyList<Uri> AllGrpcEndpoints => [.. _nodes.Select(n => n.Options.GrpcEndpoint)];

    public Uri AdminEndpoint(int index) => Node(index).Options.AdminEndpoint;

    public string RaftEndpoint(int index) => Node(index).Options.RaftEndpoint;

    public string LogPath(int index) => Node(index).LogPath;

    public string DataDirectory(int index) => Node(index).Options.DataDirectory;

    public bool IsRunning(int index) => Node(index).IsRunning;

    public bool IsPaused(int index) => Node(index).IsPaused;

    /// <summary>The operating-system process id of a running node, or null.</summary>
    public int? ProcessId(int index) => Node(index).ProcessId;

    /// <summary>The node's index from its Raft endpoint (the member identity), or -1.</summary>
    public int IndexOf(string raftEndpoint) =>
        Array.FindIndex(_nodes, n => string.Equals(n.Options.RaftEndpoint, raftEndpoint, StringComparison.Ordinal));

    /// <summary>Waits for a node to exit by itself; its exit code, or null when it still runs after <paramref name="timeout"/>.</summary>
    public Task<int?> WaitForExitAsync(int index, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Node(index).WaitForOwnExitAsync(timeout, cancellationToken);

    /// <summary>SIGKILL: no chance to flush or say goodbye.</summary>
    public Task KillAsync(int index, CancellationToken cancellationToken = default) =>
        Node(index).KillAsync(_options.StopTimeout, cancellationToken);

    /// <summary>SIGTERM, then SIGKILL after <see cref="ProcessClusterOptions.StopTimeout"/>; true when it exited on SIGTERM.</summary>
    public Task<bool> StopAsync(int index, CancellationToken cancellationToken = default) =>
        Node(index).StopAsync(_options.StopTimeout, cancellationToken);

    /// <summary>
    /// Stops the node gracefully if it runs, starts it again with the same config, ports and data directory, and
    /// waits until it answers GET /healthz. Also starts a joining node (<see cref="ProcessClusterOptions.Joining"/>)
    /// for the first time.
    /// </summary>
    public async Task RestartAsync(int index, CancellationToken cancellationToken = default)
    {
        var node = Node(index);
        if (node.IsRunning)
        {
            await node.StopAsync(_options.StopTimeout, cancellationToken);
        }

        await node.StartAsync();
        await WaitForHealthyAsync(index, _options.StartTimeout, cancellationToken);
    }

    /// <summary>SIGSTOP: the process keeps its sockets but answers nothing until resumed.</summary>
    public Task PauseAsync(int index)
    {
        Node(index).Pause();
        return Task.CompletedTask;
    }

    /// <summary>SIGCONT.</summary>
    public Task ResumeAsync(int index)
    {
        Node(index).Resume();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var stops = _nodes.Select(async node =>
        {
            try
            {
                await node.StopAsync(_options.StopTimeout, CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Log($"process cluster: stopping {node.Name} failed: {e.Message}");
                _keepArtifacts = true;
            }
            finally
            {
                node.Dispose();
            }
        });
        await Task.WhenAll(stops);
        DisposeClients();

        var keep = _keepArtifacts || _options.KeepArtifacts || Environment.GetEnvironmentVariable(ProcessClusterOptions.KeepArtifactsVariable) == "1";
        if (keep)
        {
            Log($"process cluster: kept logs and data in {ArtifactsDirectory}");
            return;
        }

        try
        {
            Directory.Delete(ArtifactsDirectory, recursive: true);
            Log($"process cluster: deleted {ArtifactsDirectory}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"process cluster: could not delete {ArtifactsDirectory}: {e.Message}");
        }
    }

    private NodeProcess Node(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index < 0 || index >= _nodes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The cluster has {_nodes.Length} nodes, indexes 0 to {_nodes.Length - 1}.");
        }

        return _nodes[index];
    }

    private void Log(string message)
    {
        try
        {
            if (_options.Log is { } log)
            {
                log(message);
            }
            else
            {
                Console.WriteLine(message);
            }
        }
        catch (InvalidOperationException)
        {
            // ITestOutputHelper refuses output once its test has finished.
            Console.WriteLine(message);
        }
    }

    private static string CreateArtifactsDirectory(ProcessClusterOptions options)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ProcessClusterOptions.ArtifactsRootVariable);
        var root = options.ArtifactsRoot
            ?? (string.IsNullOrEmpty(fromEnvironment) ? Path.Combine(Path.GetTempPath(), "controlplane-clusters") : fromEnvironment);
        var name = new StringBuilder();
        foreach (var c in options.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.Combine(Path.GetFullPath(root), $"{stamp}-{name}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string RequireFile(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? full
            : throw new FileNotFoundException($"{nameof(ProcessClusterOptions.NodeDllPath)} names {full}, which does not exist.", full);
    }

    /// <summary>The dotnet host that runs these tests (the SDK sets DOTNET_HOST_PATH), else `dotnet` from PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath &&
            string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        return "dotnet";
    }
}
