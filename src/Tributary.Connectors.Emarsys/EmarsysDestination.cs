using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Writes customers (and their derived summaries) as Emarsys contacts keyed by a custom field holding the source customer id,
/// orders as Smart Insight sales data, business events as external event triggers, and products and stock as rows of the
/// catalogue feed. Each kind has its own writer (<see cref="EmarsysContactWriter"/>, <see cref="EmarsysSalesWriter"/>,
/// <see cref="EmarsysEventWriter"/>, <see cref="EmarsysCatalogueWriter"/>); this type dispatches to them by kind.
/// </summary>
public sealed partial class EmarsysDestination : IDestinationConnector
{
    /// <summary>The destination's name in state keys and logs.</summary>
    public const string DestinationName = "emarsys";

    /// <summary>
    /// The projected pseudo-field holding the contact lists a contact belongs in by rule (ids joined by commas). It is never
    /// written as a contact field: a change of it becomes contact-list calls.
    /// </summary>
    public const string ListsField = "lists";

    /// <summary>Opt-in value for an explicit opt-in.</summary>
    public const string OptInTrue = "1";

    /// <summary>Opt-in value for an explicit opt-out (this is how Emarsys unsubscribes).</summary>
    public const string OptInFalse = "2";

    /// <summary>Quantity of an amount-only refund row: negative, like every return row (negative price and quantity).</summary>
    public const decimal AmountOnlyRefundQuantity = -1;

    /// <summary>The one fact of an event: its trigger.</summary>
    public const string TriggerFact = "trigger";

    /// <summary>
    /// Largest trigger request sent. The event payload limit is 500 KB (a later help page says 1 MB; whether a batch counts as
    /// one payload is unconfirmed), so batches are cut below it.
    /// </summary>
    public const int MaxTriggerRequestBytes = 450 * 1024;

    private readonly EmarsysDestinationOptions _options;
    private readonly TimeProvider _time;
    private readonly EmarsysSalesCsv _salesCsv;
    private readonly EmarsysContactWriter _contacts;
    private readonly EmarsysErasureWriter _erasures;
    private readonly EmarsysSalesWriter _sales;
    private readonly EmarsysEventWriter _events;
    private readonly EmarsysCatalogueWriter _catalogue;

    /// <summary>Creates the destination over a client.</summary>
    public EmarsysDestination(EmarsysClient client, EmarsysDestinationOptions options, TimeProvider time, IDeliveredStateReader? delivered = null)
    {
        ValidateOptions(options);
        Client = client;
        _options = options;
        _time = time;
        var batchSize = Math.Clamp(options.MaxBatchSize, 1, EmarsysDestinationOptions.MaxBatchSizeCap);
        _salesCsv = new EmarsysSalesCsv(options.SalesCustomerColumn, options.SalesGuestsByEmail);
        _contacts = new EmarsysContactWriter(client, options, batchSize, delivered);
        _erasures = new EmarsysErasureWriter(client, options, batchSize);
        var consentFields = new HashSet<string>(StringComparer.Ordinal);
        if (options.SendOptIn)
        {
            consentFields.Add(options.OptInFieldId);
        }

        if (options.SmsOptInFieldId is { } smsField)
        {
            consentFields.Add(smsField);
        }

        ConsentFields = consentFields;
        _sales = new EmarsysSalesWriter(client, options, _salesCsv);
        _events = new EmarsysEventWriter(client, options, batchSize);
        _catalogue = new EmarsysCatalogueWriter(options.Catalogue);
        Limits = new DestinationLimits(batchSize, options.RequestsPerMinute > 0 ? options.RequestsPerMinute : null);
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
    /// <remarks>
    /// With <paramref name="budget"/>, every HTTP request draws from it (see <see cref="BudgetHandler"/>); pass the same budget
    /// the engine binds the destination to, so a delivery that makes several calls pays for each.
    /// </remarks>
    public static EmarsysDestination Create(EmarsysClientOptions clientOptions, EmarsysDestinationOptions options, TimeProvider time,
        HttpMessageHandler? handler = null, IDeliveredStateReader? delivered = null, RateBudget? budget = null)
    {
        var http = EmarsysClient.CreateHttpClient(clientOptions, time, budget, handler);
        return new EmarsysDestination(new EmarsysClient(http, clientOptions, time), options, time, delivered);
    }

    /// <inheritdoc />
    public IReadOnlySet<string> ConsentFields { get; }

    /// <summary>The sales-data file layout in use (header and row format).</summary>
    public EmarsysSalesCsv SalesCsv => _salesCsv;

    /// <summary>The catalogue settings, for rendering the feed (<see cref="EmarsysCatalogFeed.Render"/>) from the delivered state.</summary>
    public EmarsysCatalogueOptions CatalogueOptions => _options.Catalogue;

    /// <summary>Emarsys opt-in for an explicit consent answer; null for Unknown, which is never written (nor an opt-in).</summary>
    public static string? OptInValue(ConsentStatus status) => EmarsysContactWriter.OptInValue(status);

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
        EntityKind.Erasure => true,
        _ => false,
    };

    /// <summary>Sales lines and event triggers are facts Emarsys cannot de-duplicate: sent once each. Contacts are upserted.</summary>
    public DeliverySemantics Semantics(EntityKind entity) =>
        entity is EntityKind.Order or EntityKind.Event ? DeliverySemantics.AppendOnce : DeliverySemantics.Upsert;

    /// <inheritdoc />
    public Projection Project(CanonicalRecord record) => record switch
    {
        Customer customer => _contacts.Project(customer),
        Order order => _sales.Project(order),
        CommerceEvent commerceEvent => _events.Project(commerceEvent),
        CustomerSummary summary => _contacts.Project(summary),
        Product product when _options.Catalogue.Enabled => _catalogue.Project(product),
        StockLevel stock when _options.Catalogue.Enabled => EmarsysCatalogueWriter.Project(stock),
        _ => Projection.Quarantine($"the Emarsys destination does not take {record.Kind} records"),
    };

    /// <inheritdoc />
    public Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
        entity switch
        {
            _ when !Supports(entity) => throw new NotSupportedException($"The Emarsys destination does not take {entity} records as configured."),
            EntityKind.Order => _sales.DeliverAsync(items, cancellationToken),
            EntityKind.Event => _events.DeliverAsync(items, cancellationToken),
            // No call: Emarsys pulls the catalogue feed the host renders from the delivered state.
            EntityKind.Product or EntityKind.Stock => EmarsysCatalogueWriter.DeliverAsync(),
            // Summaries only update: a contact that is missing must come from its customer record, complete with email.
            EntityKind.CustomerSummary => _contacts.DeliverAsync(items, createIfNotExists: false, cancellationToken),
            EntityKind.Erasure => _erasures.DeliverAsync(items, cancellationToken),
            _ => _contacts.DeliverAsync(items, createIfNotExists: true, cancellationToken),
        };

    private static void ValidateOptions(EmarsysDestinationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KeyFieldId))
        {
            throw new ArgumentException("Emarsys KeyFieldId is empty: set it to the id of the custom field that holds the customer id.");
        }

        var unknown = options.Fields.Keys.Where(k => !EmarsysContactWriter.ProjectableFields.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Emarsys Fields maps unknown canonical names: {string.Join(", ", unknown)}. Known: {string.Join(", ", EmarsysContactWriter.ProjectableFields)}.");
        }

        var unknownSummary = options.SummaryFields.Keys.Where(k => !EmarsysContactWriter.SummaryNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknownSummary.Count > 0)
        {
            throw new ArgumentException($"Emarsys SummaryFields maps unknown names: {string.Join(", ", unknownSummary)}. "
                + $"Known: {string.Join(", ", EmarsysContactWriter.SummaryNames)}.");
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
