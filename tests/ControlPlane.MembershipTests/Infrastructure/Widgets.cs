using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Google.Protobuf;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>Test objects (example.com/v1 Widget in namespace default) and the calls that write and read them.</summary>
internal static class Widgets
{
    public static ResourceRef Ref(string name) => new() { ApiVersion = "example.com/v1", Kind = "Widget", Namespace = "default", Name = name };

    public static ByteString Object(string name, int value) =>
        ByteString.CopyFromUtf8(new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["value"] = value },
        }.ToJsonString());

    /// <summary>Creates or replaces a widget; returns its resourceVersion.</summary>
    public static async Task<long> PutAsync(ResourceService.ResourceServiceClient via, string name, int value, string? requestId = null, TimeSpan? timeout = null)
    {
        var response = await via.UpdateResourceAsync(
            new UpdateResourceRequest { Object = Object(name, value), Options = new WriteOptions { RequestId = requestId ?? Guid.NewGuid().ToString("D") } },
            deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10)));
        return long.Parse(response.ResourceVersion, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A linearizable read: the widget's resourceVersion and spec.value, or null when it does not exist. Retried while
    /// the node answers Unavailable (no leader reachable right now, e.g. during an election), as a client would.
    /// </summary>
    public static async Task<(long ResourceVersion, int Value)?> GetAsync(ResourceService.ResourceServiceClient via, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var response = await via.GetResourceAsync(new GetResourceRequest { Ref = Ref(name) }, deadline: DateTime.UtcNow.AddSeconds(10));
                var json = JsonNode.Parse(Encoding.UTF8.GetString(response.Object.Span))!;
                return (long.Parse(json["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture), json["spec"]!["value"]!.GetValue<int>());
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                return null;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
