using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    /// <summary>
    /// Erases customers at every destination that takes erasures, and forgets them here. First, in one transaction, the state
    /// drops what it holds of them (consent ledger, notifications, waiting rows, attempts, order history) and keeps tombstones,
    /// so no later read, replay or notification brings them back; then an erasure row per destination goes through the outbox
    /// (retried like any record, finished by the next pass after a crash); each destination's own delivered state of them is
    /// removed once its erasure is accepted. Answers, per destination, the customers whose erasure is done and those still
    /// waiting (with the reason).
    /// </summary>
    /// <param name="customers">The customers' source ids.</param>
    /// <param name="addresses">Their email addresses, tombstoned too so a customer re-created under the same address is not synced.</param>
    /// <param name="mode">Delete the contacts, or anonymise them.</param>
    /// <param name="reason">Why, kept with the erasure ("data-subject request", "deleted at the source").</param>
    /// <param name="cancellationToken">Cancels the erasure; what is staged finishes on a later pass.</param>
    public async Task<ErasureReport> EraseAsync(IReadOnlyCollection<string> customers, IReadOnlyCollection<string> addresses, ErasureMode mode,
        string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(addresses);
        await StageErasuresAsync(customers, addresses, mode, reason, cancellationToken);
        var pass = await RunPassAsync(new PassOptions(Entities: [EntityKind.Customer], ReadSource: false), null, cancellationToken);
        var outcomes = new List<ErasureOutcome>();
        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)))
        {
            foreach (var key in customers)
            {
                var waiting = await _store.GetOutboxAsync(destination.Name, EntityKind.Erasure, key, cancellationToken);
                outcomes.Add(new ErasureOutcome(destination.Name, key, waiting?.Status, waiting?.LastError));
            }
        }

        return new ErasureReport(mode, outcomes, pass);
    }

    /// <summary>Tombstones and forgets the customers, then stages one erasure row per destination that takes erasures.</summary>
    private async Task StageErasuresAsync(IReadOnlyCollection<string> customers, IReadOnlyCollection<string> addresses, ErasureMode mode,
        string reason, CancellationToken cancellationToken)
    {
        var salt = await _store.InstallationSaltAsync(cancellationToken);
        var tombstones = customers.Select(c => Tombstone.ForCustomer(salt, c))
            .Concat(addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => Tombstone.ForAddress(salt, a)))
            .ToList();
        var now = _time.GetUtcNow();
        await _store.ForgetAsync(customers, tombstones, now, cancellationToken);
        _forgotten = null;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ErasureFields.Mode] = ErasureFields.Name(mode),
            [ErasureFields.Reason] = reason,
        };
        var rows = new List<OutboxEntry>();
        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)))
        {
            rows.AddRange(customers.Select(key => new OutboxEntry
            {
                Destination = destination.Name,
                Entity = EntityKind.Erasure,
                Key = key,
                Fields = fields,
                Changes = fields,
                Hash = FieldDiff.Hash(fields),
                SourceVersion = long.MaxValue,
                SourceModifiedAt = now,
                Status = OutboxStatus.Pending,
                Lane = OutboxLane.Realtime,
                NextAttemptAt = now,
                EnqueuedAt = now,
            }));
        }

        await _store.StageAsync(new StageBatch(rows, []), cancellationToken);
        _logger.LogWarning("{Count} customer(s) of {Pipeline} are being erased ({Mode}, {Reason}) at {Destinations}", customers.Count, _options.Name,
            ErasureFields.Name(mode), reason, string.Join(", ", _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)).Select(d => d.Name)));
    }

    /// <summary>
    /// A destination's erasure accepted: what it last accepted of that customer goes (its contact, its summary), so the state keeps
    /// nothing personal. Runs after every pass that delivers erasures, so one accepted just before a crash is settled after it.
    /// </summary>
    private async Task SettleErasuresAsync(CancellationToken cancellationToken)
    {
        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)))
        {
            var erased = new List<string>();
            await foreach (var row in _store.ReadDeliveredAsync(destination.Name, EntityKind.Erasure, cancellationToken))
            {
                erased.Add(row.Key);
            }

            if (erased.Count == 0)
            {
                continue;
            }

            var removed = await _store.RemoveDeliveredAsync(destination.Name, EntityKind.Customer, erased, cancellationToken);
            removed += await _store.RemoveDeliveredAsync(destination.Name, EntityKind.CustomerSummary, erased, cancellationToken);
            if (removed > 0)
            {
                _logger.LogInformation("{Destination} erased {Count} customer(s); their delivered state is removed", destination.Name, removed);
            }
        }
    }

    // Tombstone lookups only run while the state holds any (null: not looked at since the last erasure).
    private long? _forgotten;
    private string? _salt;

    /// <summary>
    /// Leaves out records of forgotten people (customers by id or address, orders by their customer), counted as skipped with the
    /// reason: a stale read, a replay or a full resync never brings them back.
    /// </summary>
    private async Task<IReadOnlyList<CanonicalRecord>> WithoutForgottenAsync(IReadOnlyList<CanonicalRecord> records, Action<string>? skipped,
        CancellationToken cancellationToken)
    {
        if (records.Count == 0 || records[0].Kind is not (EntityKind.Customer or EntityKind.Order))
        {
            return records;
        }

        _forgotten ??= await _store.CountForgottenAsync(cancellationToken);
        if (_forgotten == 0)
        {
            return records;
        }

        _salt ??= await _store.InstallationSaltAsync(cancellationToken);
        var subjects = new Dictionary<CanonicalRecord, string[]>();
        foreach (var record in records)
        {
            subjects[record] = record switch
            {
                Customer c => [Tombstone.ForCustomer(_salt, c.SourceId), .. c.Email is { Length: > 0 } e ? [Tombstone.ForAddress(_salt, e)] : Array.Empty<string>()],
                Order { CustomerId: { Length: > 0 } id } o => [Tombstone.ForCustomer(_salt, id), .. o.Email is { Length: > 0 } e ? [Tombstone.ForAddress(_salt, e)] : Array.Empty<string>()],
                Order { Email: { Length: > 0 } e } => [Tombstone.ForAddress(_salt, e)],
                _ => [],
            };
        }

        var found = await _store.ForgottenAsync(subjects.Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        if (found.Count == 0)
        {
            return records;
        }

        var kept = new List<CanonicalRecord>(records.Count);
        foreach (var record in records)
        {
            if (subjects[record].Any(found.Contains))
            {
                skipped?.Invoke(record.Key);
            }
            else
            {
                kept.Add(record);
            }
        }

        return kept;
    }

    /// <summary>The reason a forgotten person's record is skipped.</summary>
    public const string ForgottenReason = "forgotten (an erasure or data-subject request): never synced again";

    /// <summary>
    /// Customers a notification named that the source no longer has: erased at the destinations that hold them, as configured
    /// (<see cref="PipelineOptions.ErasureOnSourceDeletion"/>).
    /// </summary>
    private async Task<int> EraseDeletedAtSourceAsync(IReadOnlyList<string> gone, CancellationToken cancellationToken)
    {
        if (_options.ErasureOnSourceDeletion is not { } mode || gone.Count == 0)
        {
            return 0;
        }

        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)))
        {
            held.UnionWith((await _store.GetDeliveredAsync(destination.Name, EntityKind.Customer, gone, cancellationToken)).Keys);
        }

        if (held.Count == 0)
        {
            return 0;
        }

        await StageErasuresAsync(held, [], mode, "deleted at the source", cancellationToken);
        return held.Count;
    }
}

public sealed partial class SyncPipeline
{
    /// <summary>The fewest customers a full read may miss before the safety limit applies (see <see cref="EraseVanishedAsync"/>).</summary>
    public const int VanishedFloor = 20;

    /// <summary>The share of delivered customers a full read may miss before nothing is erased.</summary>
    public const double VanishedShare = 0.05;

    /// <summary>
    /// After a complete read of the customers: those a destination holds that the read did not bring are re-read one by one, and
    /// the ones the source confirms gone (deleted without a notification reaching us) are erased as configured. A read that
    /// misses more than <see cref="VanishedShare"/> of the delivered customers (at least <see cref="VanishedFloor"/>) looks like a
    /// truncated read or a wrong project, not deletions: nothing is erased, and the pass summary says so.
    /// </summary>
    private async Task EraseVanishedAsync(HashSet<string> seen, PassCounters counters, CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var delivered = 0;
        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Erasure)))
        {
            await foreach (var row in _store.ReadDeliveredAsync(destination.Name, EntityKind.Customer, cancellationToken))
            {
                delivered++;
                if (!seen.Contains(row.Key))
                {
                    missing.Add(row.Key);
                }
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var limit = Math.Max(VanishedFloor, (int)(delivered * VanishedShare));
        if (missing.Count > limit)
        {
            counters.AddNote($"{missing.Count} delivered customer(s) were not in the full read, more than the safety limit of {limit}: none erased " +
                             "(a truncated read or another project looks the same); if the shop really deleted them, erase them with 'forget'");
            _logger.LogWarning("{Count} delivered customers of {Pipeline} were not in the full read of {Source}, more than the safety limit of {Limit}: none erased",
                missing.Count, _options.Name, _source.Name, limit);
            return;
        }

        var reread = await RereadAsync(missing.Order(StringComparer.Ordinal).Select(k => (EntityKind.Customer, k)), cancellationToken);
        var erased = await EraseDeletedAtSourceAsync(reread.GoneCustomers, cancellationToken);
        if (erased > 0)
        {
            counters.AddNote($"{erased} customer(s) deleted at the source (not in the full read, confirmed by a re-read): erased at the destinations " +
                             $"({ErasureFields.Name(_options.ErasureOnSourceDeletion!.Value)})");
        }

        if (reread.Found.Count + reread.Failed.Count > 0)
        {
            counters.AddNote($"{reread.Found.Count + reread.Failed.Count} customer(s) missing from the full read are still at the source or could not " +
                             "be re-read: kept");
        }
    }
}

/// <summary>What an erasure did.</summary>
/// <param name="Mode">Deleted or anonymised.</param>
/// <param name="Outcomes">Per destination and customer.</param>
/// <param name="Pass">The delivery pass that carried it.</param>
public sealed record ErasureReport(ErasureMode Mode, IReadOnlyList<ErasureOutcome> Outcomes, PassReport Pass)
{
    /// <summary>True when every destination accepted every erasure.</summary>
    public bool Done => Outcomes.All(o => o.Waiting is null);
}

/// <summary>One customer's erasure at one destination.</summary>
/// <param name="Destination">The destination.</param>
/// <param name="Customer">The customer's source id.</param>
/// <param name="Waiting">Null when done; otherwise the lane it waits in (retry, dead).</param>
/// <param name="Reason">Why it waits.</param>
public sealed record ErasureOutcome(string Destination, string Customer, OutboxStatus? Waiting, string? Reason);
