using System.Globalization;
using System.Text;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Storage.Apply;
using ControlPlane.Storage.Commands;
using ControlPlane.Storage.State;

namespace ControlPlane.MicroBenchmarks;

/// <summary>Commands and states shared by the benchmarks: Kubernetes-like objects of about 1 KiB.</summary>
public static class Fixtures
{
    public static ResourceKey Key(int i) => ResourceKey.Create("apps.example.io/v1", "Deployment", "default", "web-" + i.ToString("D6", CultureInfo.InvariantCulture));

    public static string ObjectJson(int i, int generation) =>
        "{\"apiVersion\":\"apps.example.io/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web-" + i.ToString("D6", CultureInfo.InvariantCulture)
        + "\",\"namespace\":\"default\",\"labels\":{\"app\":\"web\",\"tier\":\"frontend\",\"shard\":\"" + (i % 16).ToString(CultureInfo.InvariantCulture)
        + "\"},\"annotations\":{\"owner\":\"team-a\"}},\"spec\":{\"replicas\":" + generation.ToString(CultureInfo.InvariantCulture)
        + ",\"image\":\"registry.example.io/web:1." + generation.ToString(CultureInfo.InvariantCulture)
        + "\",\"env\":[{\"name\":\"MODE\",\"value\":\"production\"},{\"name\":\"REGION\",\"value\":\"eu-west\"}],\"resources\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},\"data\":\""
        + new string('x', 700) + "\"},\"status\":{\"ready\":0}}";

    public static ResourceCommand Put(int i, int generation, string requestId = "") => new()
    {
        Kind = WriteKind.Put,
        Key = Key(i),
        Body = Encoding.UTF8.GetBytes(ObjectJson(i, generation)),
        RequestId = requestId,
        Uid = "00000000-0000-0000-0000-" + i.ToString("D12", CultureInfo.InvariantCulture),
        TimestampMs = 1_700_000_000_000 + i,
        MaxObjectBytes = 1 << 20,
    };

    public static ResourceCommand Patch(int i, string patch) => new()
    {
        Kind = WriteKind.Patch,
        Key = Key(i),
        Body = Encoding.UTF8.GetBytes(patch),
        Uid = "unused",
        TimestampMs = 1_700_000_000_000,
        MaxObjectBytes = 1 << 20,
    };

    /// <summary>A state holding <paramref name="count"/> objects, built through apply.</summary>
    public static StoreState State(int count)
    {
        var state = StoreState.Empty;
        for (var i = 0; i < count; i++)
        {
            state = ResourceApplier.Apply(state, i + 1, Put(i, 1)).State;
        }

        return state;
    }

    /// <summary><paramref name="state"/> after <paramref name="count"/> deletes of a missing object, each with its own request id.</summary>
    public static StoreState RememberRequests(StoreState state, int count)
    {
        var index = state.AppliedIndex;
        for (var i = 0; i < count; i++)
        {
            var delete = new ResourceCommand
            {
                Kind = WriteKind.Delete,
                Key = Key(-1),
                RequestId = "req-" + i.ToString("D8", CultureInfo.InvariantCulture),
                Uid = "unused",
                TimestampMs = 1_700_000_000_000,
                MaxObjectBytes = 1 << 20,
            };
            state = ResourceApplier.Apply(state, ++index, delete).State;
        }

        return state;
    }
}
