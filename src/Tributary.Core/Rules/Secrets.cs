using System.Security.Cryptography;
using System.Text;

namespace Tributary.Core.Rules;

/// <summary>Comparing a presented secret (a token, a password, a webhook credential) with the configured one.</summary>
public static class Secrets
{
    /// <summary>
    /// True when <paramref name="given"/> equals <paramref name="expected"/>. Both are hashed (SHA-256) and the hashes compared in
    /// constant time, so the time taken tells neither how much of the secret matched nor how long it is.
    /// </summary>
    public static bool Same(string? given, string? expected)
    {
        if (given is null || expected is null)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
