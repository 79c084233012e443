using ControlPlane.Contracts.V1;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>AdminService calls as the tests make them.</summary>
internal static class Admin
{
    public static Task<AddMemberResponse> AddAsync(TestNode via, TestNode member, string? requestId = null, int catchUpTimeoutMs = 0) =>
        via.Admin.AddMemberAsync(
            new AddMemberRequest { Name = member.Name, RaftEndpoint = member.RaftEndpoint, GrpcEndpoint = member.GrpcEndpoint, RequestId = requestId ?? Guid.NewGuid().ToString("D"), CatchUpTimeoutMs = catchUpTimeoutMs },
            deadline: DateTime.UtcNow.AddSeconds(45)).ResponseAsync;

    public static Task<RemoveMemberResponse> RemoveByNameAsync(TestNode via, string name, string? requestId = null) =>
        via.Admin.RemoveMemberAsync(new RemoveMemberRequest { Name = name, RequestId = requestId ?? Guid.NewGuid().ToString("D") }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    public static Task<RemoveMemberResponse> RemoveAsync(TestNode via, TestNode member, string? requestId = null) =>
        via.Admin.RemoveMemberAsync(new RemoveMemberRequest { RaftEndpoint = member.RaftEndpoint, RequestId = requestId ?? Guid.NewGuid().ToString("D") }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    public static Task<ListMembersResponse> ListAsync(TestNode via, bool local = false) =>
        via.Admin.ListMembersAsync(new ListMembersRequest { Local = local }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync;

    public static string Names(IEnumerable<Member> members) => string.Join(",", members.Select(m => m.Name).Order(StringComparer.Ordinal));
}
