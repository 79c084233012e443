using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Client;

public sealed partial class ControlPlaneClient
{
    /// <inheritdoc />
    public async Task<ClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken = default)
    {
        var request = new GetClusterStatusRequest();
        var response = await InvokeAsync("GetClusterStatus", (c, o) => c.Cluster.GetClusterStatusAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ClusterStatus.FromProto(response);
    }

    /// <inheritdoc />
    public async Task<NodeStatusInfo> GetNodeStatusAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        if (!EndpointAddress.TryNormalize(endpoint, out var normalized))
            throw new ArgumentException($"'{endpoint}' is not an http:// or https:// endpoint with a host and a port", nameof(endpoint));
        var deadline = _time.GetUtcNow().UtcDateTime + _options.AttemptTimeout;
        try
        {
            var response = await GetConnection(normalized).Cluster
                .GetNodeStatusAsync(new GetNodeStatusRequest(), new CallOptions(deadline: deadline, cancellationToken: cancellationToken))
                .ResponseAsync.ConfigureAwait(false);
            return NodeStatusInfo.FromProto(response);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the call was cancelled", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw ControlPlaneClientException.FromRpcException(ex, normalized);
        }
    }
}
