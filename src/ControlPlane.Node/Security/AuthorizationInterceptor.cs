using System.Text.Json;
using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Node.Api;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ControlPlane.Node.Security;

/// <summary>
/// Authenticates every gRPC call by its bearer token, authorizes it by the token's role (<see cref="MethodPolicy"/>),
/// records the principal it acts for, and writes one audit line per mutating or admin call, allowed or refused.
/// A call a member forwards carries the member token and the caller's principal (<c>cp-principal</c>); only a
/// member may name another principal. A forwarded call gets a line on the member that took it and one on the
/// leader (forwarded-by names the member). Registered only when a token file is configured.
/// </summary>
public sealed partial class AuthorizationInterceptor(TokenTable tokens, ILoggerFactory loggerFactory) : Interceptor
{
    private const string Scheme = "Bearer ";
    private readonly ILogger _audit = loggerFactory.CreateLogger("ControlPlane.Audit");

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Admit(request, context)
            ? await AuditedAsync(request, context, () => continuation(request, context))
            : await continuation(request, context);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Admit(request, context))
        {
            await continuation(request, responseStream, context);
            return;
        }

        await AuditedAsync(request, context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit<object?>(null, context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit<object?>(null, context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>Runs an admitted call and writes its audit line with the outcome, success or the failure's reason.</summary>
    private async Task<T> AuditedAsync<TRequest, T>(TRequest request, ServerCallContext context, Func<Task<T>> call)
    {
        string outcome = "OK";
        try
        {
            return await call();
        }
        catch (Exception e)
        {
            outcome = OutcomeOf(e);
            throw;
        }
        finally
        {
            Log(context, CallPrincipal.Of(context), TargetOf(request, context, withBody: false), outcome);
        }
    }

    /// <summary>Lets the call in or throws Unauthenticated / PermissionDenied; true when its outcome is to be audited.</summary>
    private bool Admit<TRequest>(TRequest request, ServerCallContext context)
    {
        var method = context.Method;
        if (MethodPolicy.IsOpen(method)) return false;
        var audited = MethodPolicy.IsAudited(method);
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(request, context, audited, "unauthenticated", ErrorCode.Unauthenticated,
                "this cluster requires a bearer token (authorization: Bearer <token>): cpctl --token-file, or ControlPlaneClientOptions.BearerToken");
        }

        if (!tokens.TryAuthenticate(header.AsSpan(Scheme.Length).Trim(), out var identity))
        {
            throw Refuse(request, context, audited, "unauthenticated", ErrorCode.Unauthenticated, "the bearer token is not one this cluster knows");
        }

        var verb = MethodPolicy.VerbOf(method);
        if (!identity.Role.Allows(verb))
        {
            throw Refuse(request, context, audited, identity.Principal, ErrorCode.PermissionDenied,
                $"principal {identity.Principal} (role {identity.Role.Name()}) may not call {method}: it needs a role that allows {Describe(verb)}");
        }

        var principal = identity.Principal;
        if (context.RequestHeaders.GetValue(WriteCoordinator.PrincipalHeader) is { } actingFor)
        {
            if (identity.Role != AccessRole.Member)
            {
                throw Refuse(request, context, audited, identity.Principal, ErrorCode.PermissionDenied,
                    $"principal {identity.Principal} may not name another principal ({WriteCoordinator.PrincipalHeader}); only members do, for the calls they forward");
            }

            principal = actingFor;
        }

        CallPrincipal.Set(context, principal);

        // A forwarded call is audited twice: by the member that took it and by the leader (marked forwarded-by), so a
        // line survives the crash of either, and the leader's line names the principal it recorded.
        return audited;
    }

    private ControlPlaneException Refuse<TRequest>(TRequest request, ServerCallContext context, bool audited, string principal, ErrorCode code, string message)
    {
        if (audited || code == ErrorCode.PermissionDenied)
        {
            // The body of a create or update is read only for a caller who authenticated: an anonymous caller costs
            // no JSON parse.
            Log(context, principal, TargetOf(request, context, withBody: code == ErrorCode.PermissionDenied), code.ToString());
        }

        return new ControlPlaneException(code, message);
    }

    /// <summary>What the write path named (the write it ran), else what the request itself names.</summary>
    private static string TargetOf<TRequest>(TRequest request, ServerCallContext context, bool withBody) =>
        CallPrincipal.AuditTargetOf(context) is { Length: > 0 } known ? known : DescribeTarget(request, withBody);

    /// <summary>One audit line; what a caller chose (the target's names, a request id) is escaped, so it cannot fake fields.</summary>
    private void Log(ServerCallContext context, string principal, string target, string outcome) =>
        LogAudit(_audit, Escape(principal), Escape(context.Method), Escape(target), outcome, context.Peer, Escape(context.RequestHeaders.GetValue(LeaderRouter.ForwardedHeader) ?? string.Empty));

    private static string Escape(string text) => JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;

    /// <summary>The reason the node gave: a forwarded call's answer carries it in a trailer, so both lines agree.</summary>
    private static string OutcomeOf(Exception e) => e switch
    {
        ControlPlaneException cpe => cpe.Code.ToString(),
        RpcException rpc => rpc.Trailers.GetValue(ErrorMapping.ReasonTrailer) ?? rpc.StatusCode.ToString(),
        OperationCanceledException => "Cancelled",
        _ => "Internal",
    };

    /// <summary>
    /// What an audited call names, read from its request: a member, or a resource by its reference. With
    /// <paramref name="withBody"/> (a refused call only) also the object a create or update carries, read from its
    /// JSON; an allowed write gets its target from the write path instead, without a second parse.
    /// </summary>
    private static string DescribeTarget(object? request, bool withBody) => request switch
    {
        AddMemberRequest add => $"member {add.Name} raft={add.RaftEndpoint} grpc={add.GrpcEndpoint} request={add.RequestId}",
        RemoveMemberRequest remove => $"member {(remove.Name.Length > 0 ? remove.Name : remove.RaftEndpoint)} request={remove.RequestId}",
        PatchResourceRequest patch => Describe(patch.Ref),
        DeleteResourceRequest delete => Describe(delete.Ref),
        UpdateResourceStatusRequest status => Describe(status.Ref),
        CreateResourceRequest create when withBody => DescribeObject(create.Object),
        UpdateResourceRequest update when withBody => DescribeObject(update.Object),
        _ => string.Empty,
    };

    private static string Describe(ResourceRef? reference) => reference is null ? string.Empty
        : $"{reference.ApiVersion}/{reference.Kind}/{(reference.Namespace.Length > 0 ? reference.Namespace + "/" : string.Empty)}{reference.Name}";

    private static string DescribeObject(ByteString json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.Memory);
            var root = document.RootElement;
            var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            return Describe(new ResourceRef
            {
                ApiVersion = Text(root, "apiVersion"),
                Kind = Text(root, "kind"),
                Namespace = Text(metadata, "namespace"),
                Name = Text(metadata, "name"),
            });
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }

        static string Text(JsonElement element, string property) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
    }

    private static string Describe(AccessVerb verb) => verb switch
    {
        AccessVerb.Read => "reads",
        AccessVerb.Write => "resource writes (writer or admin)",
        AccessVerb.WriteStatus => "status writes (status-writer or admin)",
        AccessVerb.Admin => "admin calls (admin)",
        _ => "calls between members only",
    };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "audit principal={Principal} method={Method} target=\"{Target}\" outcome={Outcome} peer={Peer} forwarded-by={ForwardedBy}")]
    private static partial void LogAudit(ILogger logger, string principal, string method, string target, string outcome, string peer, string forwardedBy);
}
