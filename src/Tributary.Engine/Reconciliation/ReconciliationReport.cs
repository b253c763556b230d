using System.Text.Json.Serialization;
using Tributary.Core.Model;

namespace Tributary.Engine.Reconciliation;

/// <summary>
/// What one reconciliation found: per destination and entity, counts, sums and sampled field comparisons between the source
/// and the destination; orphans; and the catalogue audit. Plain data: the CLI prints it, writes it as JSON, and the
/// dashboard shows the latest (see <see cref="ReconciliationReportFile"/>).
/// </summary>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Source">Source platform.</param>
/// <param name="StartedAt">When the source read began.</param>
/// <param name="FinishedAt">When the comparison ended.</param>
/// <param name="Entities">One comparison per destination and entity.</param>
/// <param name="Orphans">Contacts without a source customer, orders without a contact, SKUs ordered but not in the catalogue (first ones).</param>
/// <param name="OrphanCounts">Orphans found per kind (all of them, not only the listed ones).</param>
/// <param name="Catalogue">The catalogue audit (source against the published feed), when a feed is configured.</param>
public sealed record ReconciliationReport(string Pipeline, string Source, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    IReadOnlyList<EntityReconciliation> Entities, IReadOnlyList<ReconciliationOrphan> Orphans,
    IReadOnlyDictionary<OrphanKind, long> OrphanCounts, CatalogueAuditReport? Catalogue)
{
    /// <summary>
    /// Listed differences a repair can re-drive: missing at the destination or with differing fields, and not already waiting
    /// in a lane (a parked, quarantined or dead record is explained by its lane and handled by <c>replay</c>).
    /// </summary>
    [JsonIgnore]
    public long Repairable => Entities.Sum(e => e.Repairable);

    /// <summary>True when nothing needs a repair and no record is at the destination only.</summary>
    [JsonIgnore]
    public bool Clean => Repairable == 0 && Entities.Sum(e => e.NotAtSource + e.ConsentDrift) == 0 && (Catalogue is null || Catalogue.Differences.Count == 0);
}

/// <summary>Source against one destination for one entity.</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Entity">Entity kind.</param>
/// <param name="ComparedWith">"read API" (the destination was asked) or "delivered state" (what it last accepted).</param>
/// <param name="SourceRecords">Records at the source that should be at the destination (in scope, valid).</param>
/// <param name="DestinationRecords">Records the destination holds.</param>
/// <param name="OutOfScope">Source records left out on purpose (orders of other channels).</param>
/// <param name="Invalid">Source records the destination cannot take (quarantined with their reason; see the lanes).</param>
/// <param name="Sampled">Records whose fields were compared.</param>
/// <param name="Missing">Source records the destination does not have.</param>
/// <param name="FieldsDiffer">Sampled records whose fields differ (their field hashes disagree).</param>
/// <param name="NotAtSource">Destination records the source no longer has.</param>
/// <param name="Sums">Sums of numeric fields on both sides.</param>
/// <param name="Differences">The first differences, each with its key.</param>
/// <param name="ConsentDrift">Sampled records whose consent at the destination is not the source's (never repaired).</param>
public sealed record EntityReconciliation(string Destination, EntityKind Entity, string ComparedWith, long SourceRecords,
    long DestinationRecords, long OutOfScope, long Invalid, long Sampled, long Missing, long FieldsDiffer, long NotAtSource,
    IReadOnlyList<FieldSum> Sums, IReadOnlyList<ReconciliationDifference> Differences, long ConsentDrift = 0)
{
    /// <summary>Listed differences not explained by a lane: what <c>--repair</c> re-drives (never consent drift).</summary>
    [JsonIgnore]
    public long Repairable => Differences.Count(d => d.Lane is null && d.Kind is DifferenceKind.MissingAtDestination or DifferenceKind.FieldsDiffer);

    /// <summary>Listed differences whose record waits in a lane (pending, parked, quarantined, dead).</summary>
    [JsonIgnore]
    public long InLanes => Differences.Count(d => d.Lane is not null);
}

/// <summary>A numeric field summed over every record on both sides (an order total, a price, stock).</summary>
public sealed record FieldSum(string Field, decimal Source, decimal Destination)
{
    /// <summary>Source minus destination.</summary>
    [JsonIgnore]
    public decimal Difference => Source - Destination;
}

/// <summary>What differs for one record.</summary>
public enum DifferenceKind
{
    /// <summary>The source has it, the destination does not.</summary>
    MissingAtDestination,
    /// <summary>Both have it, with different values in the named fields.</summary>
    FieldsDiffer,
    /// <summary>The destination has it, the source no longer does.</summary>
    NotAtSource,
    /// <summary>
    /// Both have it, and the destination holds another consent answer than the source (a form opt-in, an unsubscribe link):
    /// reported, never repaired by overwriting the destination.
    /// </summary>
    ConsentDrift,
}

/// <summary>One record that differs. Field names only: values may be personal data.</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Entity">Entity kind.</param>
/// <param name="Key">Record key (a source id or SKU).</param>
/// <param name="Kind">What differs.</param>
/// <param name="Fields">The fields that differ (or the facts missing).</param>
/// <param name="Lane">When the record already waits in the outbox: its lane (it is on its way or needs a person, not a repair).</param>
public sealed record ReconciliationDifference(string Destination, EntityKind Entity, string Key, DifferenceKind Kind,
    IReadOnlyList<string> Fields, string? Lane = null);

/// <summary>Kinds of orphan.</summary>
public enum OrphanKind
{
    /// <summary>A contact in the destination whose customer the source does not have.</summary>
    ContactWithoutCustomer,
    /// <summary>An order whose customer has no contact in the destination.</summary>
    OrderWithoutContact,
    /// <summary>A SKU ordered that the catalogue does not have.</summary>
    SkuNotInCatalogue,
}

/// <summary>One orphan.</summary>
public sealed record ReconciliationOrphan(OrphanKind Kind, string Destination, string Key, string Detail);

/// <summary>Source SKUs, prices and availability against the published catalogue feed.</summary>
/// <param name="Destination">The destination that publishes the feed.</param>
/// <param name="SourceItems">Items the feed should carry (valid source products).</param>
/// <param name="FeedItems">Items the feed carries.</param>
/// <param name="MissingFromFeed">Source SKUs the feed lacks.</param>
/// <param name="NotAtSource">Feed items the source no longer has.</param>
/// <param name="PriceDiffers">Items whose feed price is not the source price.</param>
/// <param name="AvailabilityDiffers">Items whose feed availability is not the source availability.</param>
/// <param name="Differences">The first differences.</param>
public sealed record CatalogueAuditReport(string Destination, long SourceItems, long FeedItems, long MissingFromFeed, long NotAtSource,
    long PriceDiffers, long AvailabilityDiffers, IReadOnlyList<CatalogueDifference> Differences);

/// <summary>One catalogue item that differs, with both values (prices and availability are not personal data).</summary>
public sealed record CatalogueDifference(string Sku, string Problem, string? Source, string? Feed);

/// <summary>What a repair did.</summary>
/// <param name="Staged">Records re-staged to the outbox.</param>
/// <param name="MissingAtSource">Keys the source no longer has (nothing sent for them).</param>
/// <param name="Skipped">Records not staged, with the reason (still invalid, already on their way).</param>
/// <param name="Pass">The delivery that followed.</param>
public sealed record RepairReport(int Staged, IReadOnlyList<string> MissingAtSource, IReadOnlyList<string> Skipped, PassReport? Pass);
