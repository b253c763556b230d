using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>A commerce platform Tributary reads from. Maps platform records into the canonical model; commits nothing itself.</summary>
public interface ISourceConnector
{
    /// <summary>Short platform name used in state keys and logs ("commercetools").</summary>
    string Name { get; }

    /// <summary>The entity kinds this source can read.</summary>
    IReadOnlySet<EntityKind> Entities { get; }

    /// <summary>Checks credentials and reachability, with messages a non-developer can act on.</summary>
    Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken);

    /// <summary>The source's own clock, used as the upper bound of incremental windows so client clock skew cannot lose changes.</summary>
    Task<DateTimeOffset> GetClockAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads records of one kind in pages ordered by key. With <see cref="SourceReadRequest.ModifiedFrom"/> null the read is full
    /// (a backfill); otherwise incremental over the closed-open window [ModifiedFrom, ModifiedBefore).
    /// </summary>
    IAsyncEnumerable<SourcePage> ReadAsync(SourceReadRequest request, CancellationToken cancellationToken);

    /// <summary>Re-reads one record (notifications are hints, never state). Null when it no longer exists.</summary>
    Task<CanonicalRecord?> GetAsync(EntityKind entity, string key, CancellationToken cancellationToken);
}

/// <summary>What to read.</summary>
/// <param name="Entity">The entity kind.</param>
/// <param name="ModifiedFrom">Inclusive lower bound on modification time; null for a full read.</param>
/// <param name="ModifiedBefore">Exclusive upper bound on modification time; null for no bound.</param>
/// <param name="AfterKey">Resume after this key (keyset paging continuation).</param>
/// <param name="PageSize">Records per page; the connector caps it at the platform's maximum.</param>
public sealed record SourceReadRequest(EntityKind Entity, DateTimeOffset? ModifiedFrom, DateTimeOffset? ModifiedBefore, string? AfterKey, int PageSize = 500);

/// <summary>One page of a read.</summary>
/// <param name="Records">Records mapped into the canonical model, in key order.</param>
/// <param name="LastKey">The key to resume after; null when the source gave no records.</param>
/// <param name="Rejected">Records the connector could not map, with the reason; the engine quarantines them.</param>
public sealed record SourcePage(IReadOnlyList<CanonicalRecord> Records, string? LastKey, IReadOnlyList<SourceRejection> Rejected)
{
    /// <summary>A page with no rejections.</summary>
    public SourcePage(IReadOnlyList<CanonicalRecord> records, string? lastKey) : this(records, lastKey, []) { }
}

/// <summary>A source record that could not be mapped.</summary>
/// <param name="Entity">Its kind.</param>
/// <param name="Key">Its source key.</param>
/// <param name="Reason">Why, in words an operator understands.</param>
/// <param name="Raw">The raw payload, personal data masked.</param>
public sealed record SourceRejection(EntityKind Entity, string Key, string Reason, string? Raw = null);

/// <summary>Result of a connectivity check.</summary>
/// <param name="Ok">True when everything needed works.</param>
/// <param name="Checks">One line per thing checked.</param>
public sealed record ConnectivityReport(bool Ok, IReadOnlyList<CheckLine> Checks);

/// <summary>One checked item.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Ok">Whether it works.</param>
/// <param name="Message">What was found, and the fix when it failed.</param>
public sealed record CheckLine(string Name, bool Ok, string Message);
