using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ControlPlane.Testing;

/// <summary>One node's operating-system process, restartable, with its stdout and stderr appended to one log file.</summary>
internal sealed class NodeProcess : IDisposable
{
    private const int LogTailLines = 25;

    // Nodes still running when the test process exits (an undisposed cluster, an aborted run) are killed rather than
    // orphaned. The test host may itself be killed moments after ProcessExit, so the handler only sends SIGKILLs.
    private static readonly ConcurrentDictionary<NodeProcess, byte> _live = new();

    private readonly string _dotnet;
    private readonly string _nodeDll;
    private readonly Lock _logGate = new();
    private StreamWriter? _log;
    private Process? _process;
    private bool _expectedRunning;

    static NodeProcess() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var node in _live.Keys)
            {
                node.KillNow(entireProcessTree: false);
            }
        };

    public NodeProcess(NodeOptions options, string dotnet, string nodeDll, string configPath, string logPath)
    {
        Options = options;
        _dotnet = dotnet;
        _nodeDll = nodeDll;
        ConfigPath = configPath;
        LogPath = logPath;
    }

    public NodeOptions Options { get; }

    public string Name => Options.Name;

    public string ConfigPath { get; }

    public string LogPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    public bool IsPaused { get; private set; }

    /// <summary>Running and not paused: the node can answer.</summary>
    public bool IsServing => IsRunning && !IsPaused;

    public int? ProcessId => IsRunning ? _process!.Id : null;

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running (pid {_process!.Id}).");
        }

        _process?.Dispose();
        var startInfo = NodeLauncher.CreateStartInfo(_dotnet);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.WorkingDirectory = Path.GetDirectoryName(ConfigPath)!;
        startInfo.ArgumentList.Add(_nodeDll);
        startInfo.ArgumentList.Add("--config");
        startInfo.ArgumentList.Add(ConfigPath);
        foreach (var (key, value) in Options.Settings)
        {
            startInfo.ArgumentList.Add($"--{key}={value}");
        }

        foreach (var (key, value) in Options.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => WriteLog(e.Data, "");
        process.ErrorDataReceived += (_, e) => WriteLog(e.Data, "stderr| ");
        WriteLog($"==== {Now()} harness: starting {Name}: {startInfo.FileName} {string.Join(' ', startInfo.ArgumentList)}", "");
        await NodeLauncher.StartAsync(process);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _expectedRunning = true;
        IsPaused = false;
        _live[this] = 0;
        WriteLog($"==== {Now()} harness: {Name} is pid {process.Id}", "");
    }

    /// <summary>SIGKILL, then waits up to <paramref name="timeout"/> for the process to be gone.</summary>
    public async Task KillAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _expectedRunning = false;
        if (!IsRunning)
        {
            return;
        }

        WriteLog($"==== {Now()} harness: SIGKILL {Name}", "");
        _process!.Kill(entireProcessTree: true);
        IsPaused = false;
        if (!await WaitForExitAsync(timeout, cancellationToken))
        {
            throw new TimeoutException($"{Name} (pid {_process.Id}) still runs {timeout.TotalSeconds:0.#} s after SIGKILL.");
        }

        _live.TryRemove(this, out _);
    }

    /// <summary>
    /// SIGTERM (after SIGCONT when paused) and up to <paramref name="timeout"/> to exit, then SIGKILL.
    /// Returns true when the node exited on SIGTERM.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _expectedRunning = false;
        if (!IsRunning)
        {
            return true;
        }

        var process = _process!;
        if (IsPaused)
        {
            Resume();
        }

        WriteLog($"==== {Now()} harness: SIGTERM {Name}", "");
        try
        {
            Signals.Terminate(process.Id);
        }
        catch (Win32Exception) when (process.HasExited)
        {
            return true;
        }

        if (await WaitForExitAsync(timeout, cancellationToken))
        {
            WriteLog($"==== {Now()} harness: {Name} exited with code {process.ExitCode} after SIGTERM", "");
            _live.TryRemove(this, out _);
            return true;
        }

        WriteLog($"==== {Now()} harness: {Name} still running {timeout.TotalSeconds:0.#} s after SIGTERM", "");
        await KillAsync(timeout, cancellationToken);
        return false;
    }

    public void Pause()
    {
        var pid = RequireRunning("pause");
        Signals.Stop(pid);
        IsPaused = true;
        WriteLog($"==== {Now()} harness: SIGSTOP {Name}", "");
    }

    public void Resume()
    {
        var pid = RequireRunning("resume");
        Signals.Continue(pid);
        IsPaused = false;
        WriteLog($"==== {Now()} harness: SIGCONT {Name}", "");
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the node to exit by itself (a test that makes it fail); its exit code,
    /// or null while it still runs. The exit is expected from then on, so the cluster's waits no longer report it.
    /// </summary>
    public async Task<int?> WaitForOwnExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_process is null) throw new InvalidOperationException($"{Name} was never started.");
        if (!await WaitForExitAsync(timeout, cancellationToken)) return null;

        // Drains the redirected output into the log first: the pump can still be behind the exit.
        await _process.WaitForExitAsync(cancellationToken);
        _expectedRunning = false;
        _live.TryRemove(this, out _);
        return _process.ExitCode;
    }

    /// <summary>When the node exited without the harness stopping it: its exit code and the end of its log.</summary>
    public string? DescribeUnexpectedExit()
    {
        if (!_expectedRunning || _process is not { HasExited: true } process)
        {
            return null;
        }

        // Drains the redirected output into the log first: the pump can still be behind the exit.
        process.WaitForExit();
        return $"{Name} (pid {process.Id}) exited by itself with code {process.ExitCode}; last lines of {LogPath}:{Environment.NewLine}{ReadLogTail()}";
    }

    public string ReadLogTail()
    {
        if (!File.Exists(LogPath))
        {
            return "(no log yet)";
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var tail = new Queue<string>(LogTailLines);
        while (reader.ReadLine() is { } line)
        {
            if (tail.Count == LogTailLines)
            {
                tail.Dequeue();
            }

            tail.Enqueue(line);
        }

        return string.Join(Environment.NewLine, tail.Select(l => "  | " + l));
    }

    public void Dispose()
    {
        KillNow(entireProcessTree: true);
        _process?.Dispose();
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void KillNow(bool entireProcessTree)
    {
        _expectedRunning = false;
        try
        {
            if (IsRunning)
            {
                _process!.Kill(entireProcessTree);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        _live.TryRemove(this, out _);
    }

    private int RequireRunning(string action) =>
        IsRunning ? _process!.Id : throw new InvalidOperationException($"Cannot {action} {Name}: it is not running.");

    private async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process!.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _process!.HasExited;
        }
    }

    private void WriteLog(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log ??= new StreamWriter(
                new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
                new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
            _log.Write(prefix);
            _log.WriteLine(line);
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
