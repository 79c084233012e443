using ControlPlane.Node.Security;

namespace ControlPlane.Node.Tests;

public sealed class TokenTableTests
{
    private const string Member = "member-token-0123456789";
    private const string Reader = "reader-token-0123456789";

    [Fact]
    public void Parse_SkipsCommentsAndBlanks_AndAuthenticatesClearAndHashedTokens()
    {
        var writer = "writer-token-0123456789";
        var table = TokenTable.Parse(
        [
            "# token,principal,role",
            "",
            $"{Member},system:member,member",
            $" {Reader} , rita , reader ",
            $"sha256:{TokenTable.Hash(writer).ToUpperInvariant()},wanda,writer",
        ], "tokens.csv");

        Assert.Equal(3, table.Count);
        Assert.Equal(Member, table.MemberToken);
        Assert.True(table.TryAuthenticate(Reader, out var rita));
        Assert.Equal(new CallerIdentity("rita", AccessRole.Reader), rita);
        Assert.True(table.TryAuthenticate(writer, out var wanda));
        Assert.Equal(new CallerIdentity("wanda", AccessRole.Writer), wanda);
        Assert.False(table.TryAuthenticate(Reader + "x", out _));
        Assert.False(table.TryAuthenticate("short", out _));
        Assert.False(table.TryAuthenticate(string.Empty, out _));
    }

    [Theory]
    [InlineData("a-token-of-sixteen-chars,someone", "line 2: expected token,principal,role, found 2 field(s)")]
    [InlineData("a-token-of-sixteen-chars,someone,owner", "line 2: unknown role \"owner\"")]
    [InlineData("short,someone,reader", "line 2: the token has 5 characters, fewer than 16")]
    [InlineData("a token with spaces!!,someone,reader", "line 2: the token may hold only printable ASCII characters without spaces")]
    [InlineData("a-token-of-sixteen-chars,some one,reader", "line 2: principal \"some one\" must be")]
    [InlineData("sha256:abc,someone,reader", "line 2: a sha256: token needs 64 hex digits")]
    [InlineData("member-token-0123456789,someone,reader", "line 2: this token is already on an earlier line")]
    [InlineData("another-member-token-01,other-member,member", "line 2: a second member line")]
    [InlineData("a-token-of-sixteen-chars,system:controller:goals,admin", "line 2: principals starting with system: are the cluster's own")]
    public void Parse_ABadLine_NamesTheFileTheLineAndTheProblem(string line, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => TokenTable.Parse([$"{Member},system:member,member", line], "/etc/cp/tokens.csv"));
        Assert.Contains("token file /etc/cp/tokens.csv, " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutAMemberLine_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => TokenTable.Parse([$"{Reader},rita,reader"], "tokens.csv"));
        Assert.Contains("has no line with the role member", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AHashedMemberToken_IsRefused_BecauseTheNodeMustPresentIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => TokenTable.Parse([$"sha256:{TokenTable.Hash(Member)},system:member,member"], "tokens.csv"));
        Assert.Contains("the member token must be in clear", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AMissingFile_SaysWhichFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "cp-no-such-token-file-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<FileNotFoundException>(() => TokenTable.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
