using System.Text;
using Docker.DotNet.Models;

namespace ControlPlane.ChaosTests.Infrastructure;

// Evidence for failures: container logs, files copied out of containers, the fault timeline and the seed.
public abstract partial class ContainerGroup
{
    /// <summary>Writes every member's container log (stdout and stderr, with Docker timestamps) to &lt;folder&gt;/&lt;member&gt;.log.</summary>
    public async Task<IReadOnlyList<string>> CollectLogsAsync(string folder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var member in _members)
        {
            var (stdout, stderr) = await member.Container.GetLogsAsync(timestampsEnabled: true, ct: cancellationToken);
            var file = Path.Combine(folder, $"{member.Name}.log");
            await File.WriteAllTextAsync(file, stderr.Length == 0 ? stdout : $"{stdout}\n--- stderr ---\n{stderr}", cancellationToken);
            files.Add(file);
        }

        return files;
    }

    /// <summary>Copies <paramref name="containerPath"/> out of a member (running or not) as a tar file.</summary>
    public async Task CopyFromAsync(string name, string containerPath, string tarFile, CancellationToken cancellationToken = default)
    {
        var response = await Docker.Containers.GetArchiveFromContainerAsync(
            this[name].Container.Id, new ContainerPathStatParameters { Path = containerPath }, statOnly: false, cancellationToken);
        await using var source = response.Stream ?? throw new InvalidOperationException($"Docker sent no archive of {containerPath} in {name}.");
        await using var target = File.Create(tarFile);
        await source.CopyToAsync(target, cancellationToken);
    }

    /// <summary>
    /// Everything worth keeping about the group now: logs, data directories, Docker states, and what a subclass adds.
    /// Each part is best effort, so one broken container does not hide the others' evidence.
    /// </summary>
    protected virtual async Task CollectArtifactsAsync(string folder, StringBuilder problems, CancellationToken cancellationToken)
    {
        try
        {
            await CollectLogsAsync(Path.Combine(folder, "logs"), cancellationToken);
        }
        catch (Exception e)
        {
            problems.AppendLine($"logs: {e.Message}");
        }

        foreach (var member in _members.Where(m => m.Spec.DataPath is not null))
        {
            try
            {
                Directory.CreateDirectory(Path.Combine(folder, "data"));
                await CopyFromAsync(member.Name, member.Spec.DataPath!, Path.Combine(folder, "data", $"{member.Name}.tar"), cancellationToken);
            }
            catch (Exception e)
            {
                problems.AppendLine($"data of {member.Name}: {e.Message}");
            }
        }

        var states = new StringBuilder();
        foreach (var member in _members)
        {
            try
            {
                var state = await StateAsync(member.Name, cancellationToken);
                states.AppendLine($"{member.Name} ip {member.Ip}: last set {member.State}, docker {state.Status}, exit code {state.ExitCode}, host ports " +
                    string.Join(", ", member.Spec.PublishedPorts.Select(p => $"{p}->{member.HostPort(p)}")));
            }
            catch (Exception e)
            {
                states.AppendLine($"{member.Name} ip {member.Ip}: last set {member.State}, inspect failed: {e.Message}");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "members.txt"), states.ToString(), cancellationToken);
    }

    /// <summary>
    /// Saves the timeline since <paramref name="timelineMark"/>, the error, the seed, the attachments and
    /// <see cref="CollectArtifactsAsync"/> into a new results folder, and returns its path.
    /// </summary>
    internal async Task<string> SaveFailureArtifactsAsync(
        string testName, int timelineMark, Exception error, int? seed, IReadOnlyDictionary<string, string>? attachments)
    {
        var folder = ChaosResults.CreateFolder(testName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var problems = new StringBuilder();
        await CollectArtifactsAsync(folder, problems, timeout.Token);
        await File.WriteAllLinesAsync(Path.Combine(folder, "history.log"), Timeline.Since(timelineMark), timeout.Token);
        await File.WriteAllTextAsync(Path.Combine(folder, "error.txt"), error.ToString(), timeout.Token);
        if (seed is { } s)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "seed.txt"), $"{s}\nrerun with CHAOS_SEED={s}\n", timeout.Token);
        }

        foreach (var (fileName, content) in attachments ?? new Dictionary<string, string>())
        {
            await File.WriteAllTextAsync(Path.Combine(folder, Path.GetFileName(fileName)), content, timeout.Token);
        }

        if (problems.Length > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "collection-problems.txt"), problems.ToString(), timeout.Token);
        }

        Diagnostic($"chaos artifacts for {testName}: {folder}");
        Console.Error.WriteLine($"[chaos] artifacts for {testName}: {folder}");
        return folder;
    }

    private async Task<string> LogTailAsync(ContainerMember member, int lines, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = await member.Container.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken);
        return string.Join('\n', $"{stdout}{stderr}".Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
    }
}
