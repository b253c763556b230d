using System.Security.Cryptography;
using System.Text;

namespace Tributary.Core.Model;

/// <summary>How a customer is erased at a destination.</summary>
public enum ErasureMode
{
    /// <summary>The destination's delete API: the contact is gone (its history there goes with it).</summary>
    Delete,
    /// <summary>Unsubscribed on every channel and every personal field blanked; the contact's history stays, nameless.</summary>
    Anonymise,
}

/// <summary>The fields of an erasure row (<see cref="EntityKind.Erasure"/>): what to do and why; never personal data.</summary>
public static class ErasureFields
{
    /// <summary>"delete" or "anonymise".</summary>
    public const string Mode = "mode";

    /// <summary>Why: "deleted at the source" or "data-subject request".</summary>
    public const string Reason = "reason";

    /// <summary>The mode as an erasure row writes it.</summary>
    public static string Name(ErasureMode mode) => mode == ErasureMode.Delete ? "delete" : "anonymise";

    /// <summary>The mode an erasure row asks for (anonymise unless it says delete).</summary>
    public static ErasureMode ModeOf(IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.TryGetValue(Mode, out var mode) && mode == "delete" ? ErasureMode.Delete : ErasureMode.Anonymise;
    }
}

/// <summary>
/// Tombstones of forgotten people: a keyed hash (HMAC-SHA256 with the installation's own secret salt) of the customer id and of
/// the address, so a stale read, a replay or a later sweep recognises them without the state keeping who they were.
/// </summary>
public static class Tombstone
{
    /// <summary>The tombstone of a customer id.</summary>
    public static string ForCustomer(string salt, string customerId) => Hash(salt, "customer:" + customerId);

    /// <summary>The tombstone of an address (trimmed, lower-cased).</summary>
    public static string ForAddress(string salt, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Hash(salt, "address:" + address.Trim().ToLowerInvariant());
    }

    private static string Hash(string salt, string value)
    {
        ArgumentNullException.ThrowIfNull(salt);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(salt), Encoding.UTF8.GetBytes(value)));
    }
}
