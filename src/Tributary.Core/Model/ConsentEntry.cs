using System.Security.Cryptography;
using System.Text;

namespace Tributary.Core.Model;

/// <summary>Whose answer a consent ledger entry holds.</summary>
public enum ConsentSide
{
    /// <summary>The source's last explicit answer (destination is empty).</summary>
    Source,
    /// <summary>The value this service last wrote to the destination (accepted).</summary>
    Written,
    /// <summary>What the destination itself last reported (read back before a write or pulled back on a schedule).</summary>
    Reported,
}

/// <summary>One row of the consent ledger.</summary>
/// <param name="Contact">The customer's source id (the record key).</param>
/// <param name="Channel">The channel (<see cref="ConsentChannels"/>).</param>
/// <param name="Destination">The destination name; empty for <see cref="ConsentSide.Source"/>.</param>
/// <param name="Side">Whose answer it is.</param>
/// <param name="Status">The answer.</param>
/// <param name="Origin">Where it came from: the source platform and field, the destination's field or list.</param>
/// <param name="At">When it was given or withdrawn, when known (the source's date, a suppression's date).</param>
/// <param name="RecordedAt">When this service learnt it.</param>
public sealed record ConsentEntry(string Contact, string Channel, string Destination, ConsentSide Side, ConsentStatus Status,
    string? Origin, DateTimeOffset? At, DateTimeOffset RecordedAt)
{
    /// <summary>When the answer counts from: its own date, else when it was learnt.</summary>
    public DateTimeOffset Effective => At ?? RecordedAt;
}

/// <summary>Ledger counts for the dashboard and <c>/metrics</c>.</summary>
/// <param name="Counts">Per destination ("" for the source), side, channel and status: how many contacts.</param>
/// <param name="Conflicts">Per destination: contacts it reports opted out while the source says subscribed (older answer).</param>
public sealed record ConsentSummary(IReadOnlyList<ConsentCount> Counts, IReadOnlyDictionary<string, long> Conflicts)
{
    /// <summary>An empty ledger.</summary>
    public static ConsentSummary Empty { get; } = new([], new Dictionary<string, long>());

    /// <summary>The count for one cell, 0 when absent.</summary>
    public long Count(string destination, ConsentSide side, string channel, ConsentStatus status) =>
        Counts.Where(c => c.Destination == destination && c.Side == side && c.Channel == channel && c.Status == status).Sum(c => c.Contacts);

    /// <summary>Conflicts at every destination.</summary>
    public long TotalConflicts => Conflicts.Values.Sum();
}

/// <summary>One cell of <see cref="ConsentSummary"/>.</summary>
public sealed record ConsentCount(string Destination, ConsentSide Side, string Channel, ConsentStatus Status, long Contacts);

/// <summary>A contact a destination reports opted out while the source still says subscribed.</summary>
/// <param name="Contact">The customer's source id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Destination">The destination holding the opt-out.</param>
/// <param name="OptedOutAt">When the destination says the opt-out happened (or when it was first seen).</param>
/// <param name="SourceOrigin">The source field that still says subscribed.</param>
public sealed record ConsentConflict(string Contact, string Channel, string Destination, DateTimeOffset OptedOutAt, string? SourceOrigin);

/// <summary>Addresses as the consent ledger keeps them: a hash of the normalised address, never the address itself.</summary>
public static class ContactAddress
{
    /// <summary>SHA-256 (hex) of the trimmed, lower-cased address: two spellings of one mailbox hash alike.</summary>
    public static string Hash(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = address.Trim().ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
