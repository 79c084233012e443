using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ControlPlane.Core.Json;

namespace ControlPlane.MicroBenchmarks;

/// <summary>RFC 7386 merge patch of a 1 KiB object, with and without parsing and serializing around it.</summary>
[MemoryDiagnoser]
public class JsonMergePatchBenchmarks
{
    private const string PatchJson = """{"spec":{"replicas":5,"image":"registry.example.io/web:2.0","resources":null},"metadata":{"labels":{"canary":"true"}}}""";
    private string _targetJson = null!;
    private JsonNode _target = null!;
    private JsonNode _patch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _targetJson = Fixtures.ObjectJson(1, 1);
        _target = JsonNode.Parse(_targetJson)!;
        _patch = JsonNode.Parse(PatchJson)!;
    }

    [Benchmark]
    public JsonNode? ApplyParsed() => JsonMergePatch.Apply(_target, _patch);

    [Benchmark]
    public string ParseApplySerialize() => JsonMergePatch.Apply(JsonNode.Parse(_targetJson), JsonNode.Parse(PatchJson))!.ToJsonString();
}
