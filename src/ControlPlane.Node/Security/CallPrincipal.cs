using ControlPlane.Core.Store;
using Grpc.Core;

namespace ControlPlane.Node.Security;

/// <summary>The principal a call acts for and what the audit log says it touched, kept in the call's user state.</summary>
public static class CallPrincipal
{
    /// <summary>The principal of an unauthenticated call (the insecure mode).</summary>
    public const string Anonymous = "anonymous";

    private const string PrincipalKey = "cp.principal";
    private const string AuditTargetKey = "cp.audit-target";

    /// <summary>
    /// The principal <see cref="AuthorizationInterceptor"/> established for the call (the token's, or the one a
    /// forwarding member names), else <see cref="Anonymous"/>. Without the interceptor nobody is authenticated, so
    /// a principal a client claims is never believed.
    /// </summary>
    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(PrincipalKey, out var principal) && principal is string authenticated ? authenticated : Anonymous;

    internal static void Set(ServerCallContext context, string principal) => context.UserState[PrincipalKey] = principal;

    /// <summary>
    /// Names what the call changes for its audit line: a <see cref="WriteRequest"/> or a string. Kept as given and
    /// formatted only when an audit line is written.
    /// </summary>
    public static void SetAuditTarget(ServerCallContext context, object target) => context.UserState[AuditTargetKey] = target;

    internal static string AuditTargetOf(ServerCallContext context) =>
        context.UserState.TryGetValue(AuditTargetKey, out var target) ? target switch
        {
            WriteRequest write => $"{write.Kind}{(write.CreateOnly ? " (create)" : string.Empty)} {write.Key} reason={write.Reason} request={write.RequestId}",
            string text => text,
            _ => string.Empty,
        } : string.Empty;
}
