using System.Text.Json.Nodes;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Host.Composition;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// Finds a customer, order or SKU by source id, email or SKU and shows its story: the values the source holds now, the values
/// each destination last accepted, the row waiting in the outbox (if any) and every attempt with its time, code, message and
/// trace id (the correlation id to look the call up by in the trace backend).
/// Everything shown is masked.
/// </summary>
public sealed class RecordTrace(PipelineRuntime runtime, PayloadMasker masker)
{
    /// <summary>Most records one email search returns (an address shared by several accounts).</summary>
    public const int MaxEmailMatches = 10;

    public async Task<TraceResult> FindAsync(string query, CancellationToken cancellationToken)
    {
        query = query.Trim();
        var candidates = new List<(EntityKind Entity, string Key)>();
        if (query.Contains('@', StringComparison.Ordinal))
        {
            foreach (var key in await FindByEmailAsync(query, cancellationToken))
            {
                candidates.Add((EntityKind.Customer, key));
                candidates.Add((EntityKind.CustomerSummary, key));
            }
        }

        candidates.AddRange(Enum.GetValues<EntityKind>().Select(e => (e, query)));
        var records = new List<TracedRecord>();
        foreach (var (entity, key) in candidates.Distinct())
        {
            if (key.Length > 0 && await TraceAsync(entity, key, cancellationToken) is { } traced)
            {
                records.Add(traced);
            }
        }

        return new TraceResult(query, records);
    }

    /// <summary>One record's trace, or null when neither the source nor any destination knows the key.</summary>
    public async Task<TracedRecord?> TraceAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        var destinations = new List<TracedDestination>();
        foreach (var binding in runtime.Destinations.Where(d => d.Connector.Supports(entity)))
        {
            var delivered = (await runtime.Store.GetDeliveredAsync(binding.Name, entity, [key], cancellationToken)).GetValueOrDefault(key);
            var outbox = await runtime.Store.GetOutboxAsync(binding.Name, entity, key, cancellationToken);
            var attempts = await runtime.Store.GetAttemptsAsync(binding.Name, entity, key, cancellationToken);
            if (delivered is null && outbox is null && attempts.Count == 0)
            {
                continue;
            }

            destinations.Add(new TracedDestination(binding.Name,
                delivered is null ? null : masker.Fields(binding.Name, delivered.Fields), delivered?.DeliveredAt, delivered?.SourceVersion,
                outbox is null ? null : LaneRow.From(outbox, masker),
                attempts.Select(AttemptView.From).ToList()));
        }

        JsonNode? source = null;
        string? note = null;
        if (runtime.Source.Entities.Contains(entity))
        {
            try
            {
                var record = await runtime.Source.GetAsync(entity, key, cancellationToken);
                source = PayloadMasker.Record(record);
                note = record is null ? $"{runtime.Source.Name} has no {entity} '{key}'" : null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A key of the wrong shape for this kind (an SKU looked up as an order id) is a normal miss.
                note = $"{runtime.Source.Name} could not be read: {PayloadMasker.Text(ex.Message)}";
            }
        }

        var consent = entity == EntityKind.Customer
            ? (await runtime.Store.GetConsentAsync([key], cancellationToken)).Select(ConsentView.From).ToList()
            : [];
        return source is null && destinations.Count == 0 && consent.Count == 0
            ? null
            : new TracedRecord(entity, key, source, note, destinations) { Consent = consent };
    }

    private async Task<List<string>> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        // The store has no email index: contacts are keyed on the source id. The delivered customers are streamed in key order
        // and compared; the outbox is checked too, for a customer whose changed address has not gone out yet.
        var keys = new List<string>();
        foreach (var binding in runtime.Destinations.Where(d => d.Connector.Supports(EntityKind.Customer)))
        {
            await foreach (var row in runtime.Store.ReadDeliveredAsync(binding.Name, EntityKind.Customer, cancellationToken))
            {
                if (Matches(row.Fields, email) && !keys.Contains(row.Key))
                {
                    keys.Add(row.Key);
                    if (keys.Count >= MaxEmailMatches)
                    {
                        return keys;
                    }
                }
            }

            foreach (var status in Enum.GetValues<OutboxStatus>())
            {
                foreach (var row in await runtime.Store.ListAsync(status, binding.Name, 10_000, cancellationToken))
                {
                    if (row.Entity == EntityKind.Customer && Matches(row.Fields, email) && !keys.Contains(row.Key))
                    {
                        keys.Add(row.Key);
                    }
                }
            }
        }

        return keys;
    }

    private static bool Matches(IReadOnlyDictionary<string, string?> fields, string email) =>
        fields.Values.Any(v => v is not null && string.Equals(v.Trim(), email, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What a search found.</summary>
public sealed record TraceResult(string Query, IReadOnlyList<TracedRecord> Records);

/// <summary>One record: the source's values now and each destination's side.</summary>
public sealed record TracedRecord(EntityKind Entity, string Key, JsonNode? Source, string? SourceNote, IReadOnlyList<TracedDestination> Destinations)
{
    /// <summary>A customer's consent ledger: the source's answers, what was written and what each destination reported.</summary>
    public IReadOnlyList<ConsentView> Consent { get; init; } = [];
}

/// <summary>One consent ledger entry as shown (consent states are not personal data).</summary>
public sealed record ConsentView(string Channel, string Party, string Side, string Status, string? Origin, DateTimeOffset? At, DateTimeOffset RecordedAt)
{
    public static ConsentView From(ConsentEntry e) => new(e.Channel, e.Destination.Length == 0 ? "source" : e.Destination,
        e.Side.ToString().ToLowerInvariant(), e.Status.ToString().ToLowerInvariant(), e.Origin, e.At, e.RecordedAt);
}

/// <summary>One destination's side of a record.</summary>
public sealed record TracedDestination(string Destination, IReadOnlyDictionary<string, string?>? Delivered, DateTimeOffset? DeliveredAt,
    long? DeliveredVersion, LaneRow? Outbox, IReadOnlyList<AttemptView> Attempts);

/// <summary>
/// One delivery attempt as shown. <paramref name="Trace"/> is the record's correlation id for that attempt: the id of the trace the
/// destination call was made in, to look up in the trace backend (null for attempts recorded without tracing).
/// </summary>
public sealed record AttemptView(DateTimeOffset At, string Outcome, FailureKind? ErrorKind, int? StatusCode, string? Message, string? Request,
    long SourceVersion, string? Trace)
{
    public static AttemptView From(AttemptRecord a)
    {
        var (request, trace) = Tributary.Engine.Telemetry.Correlation(a.RequestSummary);
        return new AttemptView(a.At, a.Outcome, a.ErrorKind, a.StatusCode, PayloadMasker.Text(a.Message), PayloadMasker.Text(request), a.SourceVersion,
            trace);
    }
}

/// <summary>An outbox row as shown: the reason, the payload to send (masked) and the last response.</summary>
public sealed record LaneRow(string Destination, EntityKind Entity, string Key, OutboxStatus Status, string? Reason, FailureKind? ErrorKind,
    int? StatusCode, int Attempts, DateTimeOffset EnqueuedAt, DateTimeOffset NextAttemptAt, DateTimeOffset SourceModifiedAt,
    IReadOnlyDictionary<string, string?> Changes, IReadOnlyDictionary<string, string?> Fields, string? WaitingOn)
{
    public static LaneRow From(OutboxEntry e, PayloadMasker masker) => new(e.Destination, e.Entity, e.Key, e.Status, PayloadMasker.Text(e.LastError),
        e.LastErrorKind, e.LastStatusCode, e.Attempts, e.EnqueuedAt, e.NextAttemptAt, e.SourceModifiedAt, masker.Fields(e.Destination, e.Changes),
        masker.Fields(e.Destination, e.Fields), e.WaitingOn is { } w ? $"{w.Entity} {w.Key}" : null);
}
