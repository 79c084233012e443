using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using ControlPlane.Core.Selectors;

namespace ControlPlane.MicroBenchmarks;

/// <summary>Parsing a Kubernetes label selector and matching it against an object's labels.</summary>
[MemoryDiagnoser]
public class LabelSelectorBenchmarks
{
    private const string Text = "app=web,tier in (frontend,backend),environment!=test,!canary,shard";
    private LabelSelector _selector = null!;
    private FrozenDictionary<string, string> _matching = null!;
    private FrozenDictionary<string, string> _notMatching = null!;

    [GlobalSetup]
    public void Setup()
    {
        _selector = LabelSelector.Parse(Text);
        _matching = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "frontend", ["environment"] = "prod", ["shard"] = "3", ["team"] = "a" }.ToFrozenDictionary();
        _notMatching = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "frontend", ["environment"] = "prod", ["shard"] = "3", ["canary"] = "true" }.ToFrozenDictionary();
    }

    [Benchmark]
    public LabelSelector Parse() => LabelSelector.Parse(Text);

    [Benchmark]
    public bool MatchHit() => _selector.Matches(_matching);

    [Benchmark]
    public bool MatchMiss() => _selector.Matches(_notMatching);
}
