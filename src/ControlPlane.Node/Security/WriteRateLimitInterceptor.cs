using ControlPlane.Core.Errors;
using ControlPlane.Node.Api;
using Grpc.Core;

namespace ControlPlane.Node.Security;

/// <summary>
/// Refuses a mutating or admin call with ResourceExhausted when its client is over <see cref="WriteRateLimiter"/>'s
/// limit; reads pass. With a token file the client is the principal, also on a forwarded call, so the leader counts
/// every write of a principal wherever it entered. Without one it is the caller's IP address, and a call a member
/// forwarded is not counted again (it was at the member that took it): without authentication a caller could claim
/// to be a forwarding member, so the limit is a guard against runaway clients, not against hostile ones.
/// </summary>
public sealed class WriteRateLimitInterceptor(WriteRateLimiter limiter, bool authenticated) : AdmissionInterceptor
{
    protected override void Admit(object? request, ServerCallContext context)
    {
        if (MethodPolicy.IsOpen(context.Method) || MethodPolicy.VerbOf(context.Method) is AccessVerb.Read) return;
        string client;
        if (authenticated)
        {
            client = "principal " + CallPrincipal.Of(context);
        }
        else
        {
            if (LeaderRouter.IsForwarded(context)) return;
            client = "client " + ClientAddress(context.Peer);
        }

        if (limiter.TryAcquire(client) is { } refusal) throw new ControlPlaneException(ErrorCode.ResourceExhausted, refusal);
    }

    /// <summary>"ipv4:127.0.0.1:5123" → "127.0.0.1" (the port changes per connection).</summary>
    private static string ClientAddress(string peer)
    {
        var colon = peer.IndexOf(':', StringComparison.Ordinal);
        var address = colon >= 0 ? peer[(colon + 1)..] : peer;
        var port = address.LastIndexOf(':');
        return port > 0 ? address[..port] : address;
    }
}
