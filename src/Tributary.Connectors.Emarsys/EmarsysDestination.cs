using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Writes customers (and their derived summaries) as Emarsys contacts keyed by a custom field holding the source customer id,
/// orders as Smart Insight sales data, and business events as external event triggers.
/// </summary>
public sealed partial class EmarsysDestination : IDestinationConnector
{
    /// <summary>The destination's name in state keys and logs.</summary>
    public const string DestinationName = "emarsys";

    // The opt-in field takes 1 or 2 as numbers; strings such as "true" are rejected by the API.
    private readonly IReadOnlySet<string> _numberFields;
    private readonly EmarsysDestinationOptions _options;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly EmarsysSalesCsv _salesCsv;

    /// <summary>Creates the destination over a client.</summary>
    public EmarsysDestination(EmarsysClient client, EmarsysDestinationOptions options, TimeProvider time)
    {
        ValidateOptions(options);
        Client = client;
        _options = options;
        _time = time;
        _batchSize = Math.Clamp(options.MaxBatchSize, 1, EmarsysDestinationOptions.MaxBatchSizeCap);
        _numberFields = new HashSet<string>(StringComparer.Ordinal) { options.OptInFieldId };
        _salesCsv = new EmarsysSalesCsv(options.SalesCustomerColumn, options.SalesGuestsByEmail);
        Limits = new DestinationLimits(_batchSize, options.RequestsPerMinute > 0 ? options.RequestsPerMinute : null);
    }

    /// <summary>The API client.</summary>
    public EmarsysClient Client { get; }

    /// <inheritdoc />
    public string Name => DestinationName;

    /// <summary>
    /// Batch size and request rate of the contact, sales-data and event calls. Product and stock deliveries make no call (Emarsys
    /// pulls the catalogue feed), so neither the batch size nor the request budget applies to them.
    /// </summary>
    public DestinationLimits Limits { get; }

    /// <summary>Creates a destination with its own signed <see cref="HttpClient"/> (over <paramref name="handler"/> when given).</summary>
    public static EmarsysDestination Create(EmarsysClientOptions clientOptions, EmarsysDestinationOptions options, TimeProvider time,
        HttpMessageHandler? handler = null)
    {
        var http = EmarsysClient.CreateHttpClient(clientOptions, time, handler);
        return new EmarsysDestination(new EmarsysClient(http, clientOptions, time), options, time);
    }

    /// <summary>The sales-data file layout in use (header and row format).</summary>
    public EmarsysSalesCsv SalesCsv => _salesCsv;

    /// <summary>
    /// Customers always; orders when the sales-data upload is configured (merchant id and token); events when at least one
    /// event type is mapped (<see cref="EmarsysDestinationOptions.EventIds"/>); customer summaries when at least one summary
    /// field is mapped (<see cref="EmarsysDestinationOptions.SummaryFields"/>).
    /// </summary>
    public bool Supports(EntityKind entity) => entity switch
    {
        EntityKind.Customer => true,
        EntityKind.Order => Client.SalesDataConfigured,
        EntityKind.Event => _options.EventIds.Count > 0,
        EntityKind.CustomerSummary => _options.SummaryFields.Count > 0,
        EntityKind.Product or EntityKind.Stock => _options.Catalogue.Enabled,
        _ => false,
    };

    /// <summary>Sales lines and event triggers are facts Emarsys cannot de-duplicate: sent once each. Contacts are upserted.</summary>
    public DeliverySemantics Semantics(EntityKind entity) =>
        entity is EntityKind.Order or EntityKind.Event ? DeliverySemantics.AppendOnce : DeliverySemantics.Upsert;

    /// <inheritdoc />
    public Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
        entity switch
        {
            _ when !Supports(entity) => throw new NotSupportedException($"The Emarsys destination does not take {entity} records as configured."),
            EntityKind.Order => DeliverSalesAsync(items, cancellationToken),
            EntityKind.Event => DeliverEventsAsync(items, cancellationToken),
            // No call: Emarsys pulls the catalogue feed the host renders from the delivered state.
            EntityKind.Product or EntityKind.Stock => DeliverCatalogueAsync(),
            // Summaries only update: a contact that is missing must come from its customer record, complete with email.
            EntityKind.CustomerSummary => DeliverContactsAsync(items, createIfNotExists: false, cancellationToken),
            _ => DeliverContactsAsync(items, createIfNotExists: true, cancellationToken),
        };

    private async Task<DeliveryResult> DeliverContactsAsync(IReadOnlyList<DeliveryItem> items, bool createIfNotExists,
        CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var sendable = new List<DeliveryItem>(items.Count);
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item.Key))
            {
                failures[item.Key ?? string.Empty] = new ItemFailure(FailureKind.Invalid, null, "empty customer key");
            }
            else
            {
                sendable.Add(item);
            }
        }

        foreach (var chunk in sendable.Chunk(_batchSize))
        {
            var writes = chunk.Select(i => new EmarsysContactWrite(i.Key, i.Changes, _numberFields)).ToList();
            var result = await Client.UpsertContactsAsync(_options.KeyFieldId, writes, createIfNotExists, cancellationToken);
            MapResult(chunk, result, failures, ids);
        }

        return new DeliveryResult(failures, ids.Count == 0 ? null : ids);
    }

    /// <summary>Maps per-key errors onto items by key, never by position.</summary>
    private static void MapResult(DeliveryItem[] chunk, EmarsysWriteResult result, Dictionary<string, ItemFailure> failures,
        Dictionary<string, string> ids)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in chunk)
        {
            keys[item.Key] = item.Key;
            folded.TryAdd(item.Key.Trim(), item.Key);
        }

        foreach (var (errorKey, errors) in result.Errors)
        {
            // Exact first; the API might echo a key trimmed or case-folded.
            if (!keys.TryGetValue(errorKey, out var key) && !folded.TryGetValue(errorKey.Trim(), out key))
            {
                continue;
            }

            var first = errors.Count > 0 ? errors[0] : new EmarsysItemError(string.Empty, "rejected without a reason");
            var message = string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Code) ? e.Message : $"{e.Code} {e.Message}"));
            failures[key] = new ItemFailure(EmarsysErrors.ForItem(first.Code), first.Code, message);
        }

        // Ids are not documented to follow the input order, so an id maps to a key only when exactly one contact succeeded.
        var accepted = chunk.Where(i => !failures.ContainsKey(i.Key)).ToList();
        if (accepted.Count == 1 && result.Ids.Count == 1)
        {
            ids[accepted[0].Key] = result.Ids[0];
        }
    }

    private static void ValidateOptions(EmarsysDestinationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KeyFieldId))
        {
            throw new ArgumentException("Emarsys KeyFieldId is empty: set it to the id of the custom field that holds the customer id.");
        }

        var unknown = options.Fields.Keys.Where(k => !ProjectableFields.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Emarsys Fields maps unknown canonical names: {string.Join(", ", unknown)}. Known: {string.Join(", ", ProjectableFields)}.");
        }

        var unknownSummary = options.SummaryFields.Keys.Where(k => !SummaryNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknownSummary.Count > 0)
        {
            throw new ArgumentException($"Emarsys SummaryFields maps unknown names: {string.Join(", ", unknownSummary)}. "
                + $"Known: {string.Join(", ", SummaryNames)}.");
        }

        var badEvents = options.EventIds.Where(e => string.IsNullOrWhiteSpace(e.Value) || !e.Value.All(char.IsAsciiDigit)).ToList();
        if (badEvents.Count > 0)
        {
            throw new ArgumentException($"Emarsys EventIds must be numeric event ids: {string.Join(", ", badEvents.Select(e => $"{e.Key}={e.Value}"))}.");
        }

        if (string.IsNullOrWhiteSpace(options.RefundItem))
        {
            throw new ArgumentException("Emarsys RefundItem is empty: set the item id written on amount-only refund rows.");
        }

        if (options.Catalogue.Enabled)
        {
            options.Catalogue.Validate();
        }

        var targets = options.Fields.Values.Concat(options.Attributes.Values).Concat(options.SummaryFields.Values).Append(options.KeyFieldId)
            .Concat(options.SendOptIn ? [options.OptInFieldId] : []);
        var duplicates = targets.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Emarsys field ids mapped more than once: {string.Join(", ", duplicates)}.");
        }
    }
}
