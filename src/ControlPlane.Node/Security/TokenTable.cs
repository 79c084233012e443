using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Node.Security;

/// <summary>
/// The bearer tokens a node accepts, read from a token file in the spirit of Kubernetes' static token file: one
/// <c>token,principal,role</c> per line, <c>#</c> comments and blank lines ignored. A token is 16 to 256 printable
/// characters without spaces or commas; it may be written as <c>sha256:&lt;64 hex digits&gt;</c> (the SHA-256 of the
/// token) so the file need not hold it. Roles: reader, writer, status-writer, admin, member. Exactly one line has
/// the role member, written in clear: it is the token the members present to each other, so every member needs the
/// same file. Only hashes are kept in memory, and a lookup compares hashes, never the tokens themselves.
/// </summary>
public sealed class TokenTable
{
    private const string HashPrefix = "sha256:";
    private const int MinTokenLength = 16;
    private const int MaxTokenLength = 256;
    private const int HashHexLength = 64;
    private readonly Dictionary<string, CallerIdentity> _byHash;
    private readonly Dictionary<string, CallerIdentity>.AlternateLookup<ReadOnlySpan<char>> _byHashSpan;

    private TokenTable(Dictionary<string, CallerIdentity> byHash, string memberToken)
    {
        _byHash = byHash;
        _byHashSpan = byHash.GetAlternateLookup<ReadOnlySpan<char>>();
        MemberToken = memberToken;
    }

    /// <summary>The token this node presents to the other members.</summary>
    public string MemberToken { get; }

    /// <summary>How many tokens the table holds.</summary>
    public int Count => _byHash.Count;

    /// <summary>Reads <paramref name="path"/>; the exception names the file, the line and what is wrong with it.</summary>
    /// <exception cref="InvalidDataException">
    /// A line is malformed, a token repeats, the member line is missing or repeated, or the file is not private
    /// (<see cref="SecretFile.RequirePrivate"/>).
    /// </exception>
    public static TokenTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"token file {Path.GetFullPath(path)} does not exist", path);
        SecretFile.RequirePrivate(Path.GetFullPath(path), "token file");
        return Parse(File.ReadAllLines(path), Path.GetFullPath(path));
    }

    /// <inheritdoc cref="Load"/>
    public static TokenTable Parse(IReadOnlyList<string> lines, string source)
    {
        var byHash = new Dictionary<string, CallerIdentity>(StringComparer.Ordinal);
        string? memberToken = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var where = $"token file {source}, line {i + 1}";
            var fields = line.Split(',');
            if (fields.Length != 3) throw new InvalidDataException($"{where}: expected token,principal,role, found {fields.Length} field(s)");
            var (token, principal, roleText) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
            if (!AccessRoles.TryParse(roleText, out var role))
            {
                throw new InvalidDataException($"{where}: unknown role \"{roleText}\" (expected reader, writer, status-writer, admin or member)");
            }

            if (!IsPrincipal(principal)) throw new InvalidDataException($"{where}: principal \"{principal}\" must be 1 to 128 letters, digits or . _ - @ :");
            if (role != AccessRole.Member && principal.StartsWith("system:", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{where}: principals starting with system: are the cluster's own (members, controllers); a {role.Name()} token may not take one");
            }
            string hash;
            if (token.StartsWith(HashPrefix, StringComparison.Ordinal))
            {
                hash = token[HashPrefix.Length..].ToLowerInvariant();
                if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)) throw new InvalidDataException($"{where}: a sha256: token needs 64 hex digits");
                if (role == AccessRole.Member) throw new InvalidDataException($"{where}: the member token must be in clear, since this node presents it to the others");
            }
            else
            {
                if (!IsToken(token, out var problem)) throw new InvalidDataException($"{where}: {problem}");
                hash = Hash(token);
            }

            if (role == AccessRole.Member)
            {
                if (memberToken is not null) throw new InvalidDataException($"{where}: a second member line; the members share exactly one token");
                memberToken = token;
            }

            if (!byHash.TryAdd(hash, new CallerIdentity(principal, role))) throw new InvalidDataException($"{where}: this token is already on an earlier line");
        }

        if (memberToken is null) throw new InvalidDataException($"token file {source} has no line with the role member: the members authenticate to each other with it");
        return new TokenTable(byHash, memberToken);
    }

    /// <summary>The identity of <paramref name="token"/>, or false when the table does not hold it. Allocates nothing: it runs on every call.</summary>
    public bool TryAuthenticate(ReadOnlySpan<char> token, [NotNullWhen(true)] out CallerIdentity? identity)
    {
        identity = null;
        if (token.Length is < MinTokenLength or > MaxTokenLength) return false;
        Span<char> hash = stackalloc char[HashHexLength];
        HashInto(token, hash);
        return _byHashSpan.TryGetValue(hash, out identity);
    }

    /// <summary>The file form of a token's hash, for writing <c>sha256:...</c> lines.</summary>
    public static string Hash(string token)
    {
        if (token.Length > MaxTokenLength) return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        Span<char> hash = stackalloc char[HashHexLength];
        HashInto(token, hash);
        return new string(hash);
    }

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes; the token is at most <see cref="MaxTokenLength"/> characters.</summary>
    private static void HashInto(ReadOnlySpan<char> token, Span<char> hex)
    {
        Span<byte> utf8 = stackalloc byte[MaxTokenLength * 3];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        Convert.TryToHexStringLower(digest, hex, out _);
    }

    private static bool IsToken(string token, [NotNullWhen(false)] out string? problem)
    {
        problem = token.Length < MinTokenLength ? $"the token has {token.Length} characters, fewer than {MinTokenLength}"
            : token.Length > MaxTokenLength ? $"the token has {token.Length} characters, more than {MaxTokenLength}"
            : token.Any(c => c <= ' ' || c > '~') ? "the token may hold only printable ASCII characters without spaces"
            : null;
        return problem is null;
    }

    private static bool IsPrincipal(string principal) =>
        principal.Length is > 0 and <= 128 && principal.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or ':');
}
