using System.Diagnostics;
using System.Text;
using ControlPlane.Contracts.V1;
using Grpc.Net.Client;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>One node process on 127.0.0.1 with its own ports, config file, data directory and log file.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly Lock _logGate = new();
    private GrpcChannel? _channel;
    private Process? _process;

    public TestNode(string name, string root, int raftPort, int grpcPort, int adminPort)
    {
        Name = name;
        RaftPort = raftPort;
        GrpcPort = grpcPort;
        AdminPort = adminPort;
        DataDirectory = Path.Combine(root, "data", name);
        ConfigPath = Path.Combine(root, $"{name}.json");
        LogPath = Path.Combine(root, $"{name}.log");
    }

    public string Name { get; }

    public int RaftPort { get; }

    public int GrpcPort { get; }

    public int AdminPort { get; }

    public string DataDirectory { get; set; }

    public string ConfigPath { get; }

    public string LogPath { get; }

    public string RaftEndpoint => $"127.0.0.1:{RaftPort}";

    public string GrpcEndpoint => $"http://127.0.0.1:{GrpcPort}";

    public bool IsRunning => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public ResourceService.ResourceServiceClient Resources => new(Channel);

    public ClusterService.ClusterServiceClient Cluster => new(Channel);

    public AdminService.AdminServiceClient Admin => new(Channel);

    private GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(GrpcEndpoint, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), EnableMultipleHttp2Connections = true },
        MaxReceiveMessageSize = 64 << 20,
    });

    public void Start(params string[] extraArguments)
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is already running");
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ConfigPath)!,
        };
        start.ArgumentList.Add(NodeBinary.Path);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);
        foreach (var argument in extraArguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_TieredPGO"] = "0";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data is null ? null : "stderr| " + e.Data);
        AppendLog($"==== harness: starting {Name} {string.Join(' ', start.ArgumentList)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL, and waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        if (!IsRunning) return;
        AppendLog("==== harness: SIGKILL");
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code, or null when it still runs.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null) return null;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public string LogTail(int lines = 30)
    {
        lock (_logGate)
        {
            if (!File.Exists(LogPath)) return "(no log)";
            var all = File.ReadAllLines(LogPath);
            return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _channel?.Dispose();
    }

    private void AppendLog(string? line)
    {
        if (line is null) return;
        lock (_logGate)
        {
            File.AppendAllText(LogPath, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}", Encoding.UTF8);
        }
    }
}
