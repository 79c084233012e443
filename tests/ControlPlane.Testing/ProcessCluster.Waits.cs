using System.Globalization;
using System.Net;

namespace ControlPlane.Testing;

/// <summary>Admin HTTP status and the waits built on it.</summary>
public sealed partial class ProcessCluster
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>GET /status of node <paramref name="index"/>; throws when it does not answer 200 within the request timeout.</summary>
    public async Task<NodeStatusDto> GetStatusAsync(int index, CancellationToken cancellationToken = default)
    {
        var body = await GetAdminAsync(index, "/status", cancellationToken);
        return NodeStatusDto.Parse(body);
    }

    /// <summary>
    /// GET /status of node <paramref name="index"/>, or null when it does not answer in time (a node resuming from a
    /// pause, installing a snapshot): for polling loops, which should look again rather than fail.
    /// </summary>
    public async Task<NodeStatusDto?> TryGetStatusAsync(int index, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetStatusAsync(index, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// GET /metrics of node <paramref name="index"/> (Prometheus text): every sample as its series (name and labels)
    /// and value. The node's exporter caches a scrape for 300 ms, so a value read twice within that is the same.
    /// </summary>
    public async Task<IReadOnlyList<(string Series, double Value)>> GetMetricsAsync(int index, CancellationToken cancellationToken = default)
    {
        var body = await GetAdminAsync(index, "/metrics", cancellationToken);
        var samples = new List<(string, double)>();
        foreach (var line in body.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.StartsWith('#') || space < 0) continue;
            var value = line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add((line[..space], value));
        }

        return samples;
    }

    /// <summary>
    /// Waits until one node is Leader and every running, unpaused node outside <paramref name="excluding"/> names it
    /// as leader; returns the leader's index (never one of <paramref name="excluding"/>).
    /// </summary>
    public async Task<int> WaitForLeaderAsync(
        TimeSpan? timeout = null, IReadOnlyCollection<int>? excluding = null, CancellationToken cancellationToken = default)
    {
        var excluded = excluding ?? [];
        foreach (var index in excluded)
        {
            Node(index);
        }

        var lastSeen = "nothing yet";
        var leader = -1;
        await Eventually.WaitAsync(
            async () =>
            {
                ThrowIfExitedUnexpectedly(AllNodes().Where(i => !excluded.Contains(i)));
                var asked = ServingNodes().Where(i => !excluded.Contains(i)).ToArray();
                if (asked.Length == 0)
                {
                    lastSeen = "no running, unpaused node to ask";
                    return false;
                }

                var answers = await AskAllAsync(asked, cancellationToken);
                lastSeen = Describe(answers);
                if (answers.Any(a => a.Status is null))
                {
                    return false;
                }

                var named = answers.Select(a => a.Status!.LeaderRaftEndpoint).Distinct(StringComparer.Ordinal).ToArray();
                if (named is not [{ Length: > 0 } endpoint])
                {
                    return false;
                }

                var candidate = IndexOf(endpoint);
                if (candidate < 0 || excluded.Contains(candidate) || !answers.Any(a => a.Index == candidate && a.Status!.IsLeader))
                {
                    return false;
                }

                leader = candidate;
                return true;
            },
            timeout ?? _options.WaitTimeout,
            () => $"expected one Leader named by every running node{ExcludingText(excluded)}; last seen: {lastSeen}. Logs: {ArtifactsDirectory}",
            cancellationToken);
        return leader;
    }

    /// <summary>Waits until every running, unpaused node has applied at least <paramref name="index"/>; returns their statuses.</summary>
    public async Task<IReadOnlyList<NodeStatusDto>> WaitForAppliedAsync(
        long index, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var lastSeen = "nothing yet";
        IReadOnlyList<NodeStatusDto> statuses = [];
        await Eventually.WaitAsync(
            async () =>
            {
                ThrowIfExitedUnexpectedly(AllNodes());
                var asked = ServingNodes().ToArray();
                if (asked.Length == 0)
                {
                    lastSeen = "no running, unpaused node to ask";
                    return false;
                }

                var answers = await AskAllAsync(asked, cancellationToken);
                lastSeen = Describe(answers);
                if (answers.Any(a => a.Status is null || a.Status.AppliedIndex < index))
                {
                    return false;
                }

                statuses = [.. answers.Select(a => a.Status!)];
                return true;
            },
            timeout ?? _options.WaitTimeout,
            () => $"expected every running node to have applied index {index}; last seen: {lastSeen}. Logs: {ArtifactsDirectory}",
            cancellationToken);
        return statuses;
    }

    /// <summary>Waits until node <paramref name="index"/> answers GET /healthz with 200.</summary>
    public async Task WaitForHealthyAsync(int index, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var node = Node(index);
        var lastSeen = "nothing yet";
        await Eventually.WaitAsync(
            async () =>
            {
                ThrowIfExitedUnexpectedly([index]);
                try
                {
                    await GetAdminAsync(index, "/healthz", cancellationToken);
                    return true;
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException)
                {
                    lastSeen = e.Message;
                    return false;
                }
            },
            timeout ?? _options.WaitTimeout,
            () => $"expected {node.Name} to answer GET /healthz with 200; last seen: {lastSeen}. Log: {node.LogPath}",
            cancellationToken);
    }

    private IEnumerable<int> AllNodes() => Enumerable.Range(0, _nodes.Length);

    private IEnumerable<int> ServingNodes() => AllNodes().Where(i => _nodes[i].IsServing);

    private async Task<NodeAnswer[]> AskAllAsync(int[] indexes, CancellationToken cancellationToken) =>
        await Task.WhenAll(indexes.Select(async i =>
        {
            try
            {
                return new NodeAnswer(i, await GetStatusAsync(i, cancellationToken), null);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or FormatException)
            {
                return new NodeAnswer(i, null, e.Message);
            }
        }));

    /// <summary>A node the harness started and did not stop has exited: waiting on is pointless, so fail now.</summary>
    private void ThrowIfExitedUnexpectedly(IEnumerable<int> indexes)
    {
        foreach (var index in indexes)
        {
            if (_nodes[index].DescribeUnexpectedExit() is { } description)
            {
                throw new InvalidOperationException(description);
            }
        }
    }

    private async Task<string> GetAdminAsync(int index, string path, CancellationToken cancellationToken)
    {
        var node = Node(index);
        var uri = new Uri(node.Options.AdminEndpoint, path);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.GetAsync(uri, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return response.StatusCode == HttpStatusCode.OK
                ? body
                : throw new HttpRequestException($"{node.Name}: GET {path} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{node.Name}: GET {path} got no answer within {_options.RequestTimeout.TotalSeconds:0.#} s{(node.IsPaused ? " (the node is paused)" : "")}.");
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HttpRequestException($"{node.Name}: GET {uri} failed: {e.Message}", e);
        }
    }

    private string Describe(NodeAnswer[] answers) =>
        string.Join("; ", answers.Select(a => a.Status?.ToString() ?? $"{_nodes[a.Index].Name}: {a.Error}"));

    private string ExcludingText(IReadOnlyCollection<int> excluded) =>
        excluded.Count == 0 ? "" : $" except {string.Join(", ", excluded.Select(i => _nodes[i].Name))}";

    private sealed record NodeAnswer(int Index, NodeStatusDto? Status, string? Error);
}
