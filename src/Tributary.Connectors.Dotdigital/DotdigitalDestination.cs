using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Writes customers and their summaries as Dotdigital contacts (matched by email), orders into the contact-scoped <c>Orders</c>
/// Insight collection, products into an account-scoped catalogue collection, and events as program enrolments. Each kind has its
/// own writer (<see cref="DotdigitalContactWriter"/>, <see cref="DotdigitalInsightWriter"/>, <see cref="DotdigitalProgramWriter"/>,
/// <see cref="DotdigitalCatalogueWriter"/>); this type dispatches to them by kind.
/// </summary>
public sealed partial class DotdigitalDestination : IDestinationConnector
{
    /// <summary>The destination's name in state keys and logs.</summary>
    public const string DestinationName = "dotdigital";

    /// <summary>Projected field holding the contact's email identifier.</summary>
    public const string EmailField = "identifiers.email";

    /// <summary>Prefix of projected data fields (<c>dataFields.FIRSTNAME</c>).</summary>
    public const string DataFieldPrefix = "dataFields.";

    /// <summary>Projected field holding the email channel status.</summary>
    public const string EmailStatusField = "channelProperties.email.status";

    /// <summary>Projected field holding the contact's mobile number identifier (E.164 digits without the <c>+</c>).</summary>
    public const string MobileField = "identifiers.mobileNumber";

    /// <summary>Projected field holding the SMS channel status.</summary>
    public const string SmsStatusField = "channelProperties.sms.status";

    /// <summary>Projected field holding the list ids, comma separated.</summary>
    public const string ListsField = "lists";

    /// <summary>
    /// Projected bookkeeping, never written to Dotdigital: whether the email status is the shop's answer (<see cref="Answered"/>)
    /// or the default for "don't know" (<see cref="NoAnswer"/>), which is never written over an existing contact.
    /// </summary>
    public const string ConsentAnswerField = "consent.email";

    /// <summary>The shop gave an explicit email answer.</summary>
    public const string Answered = "answered";

    /// <summary>The shop has no email answer.</summary>
    public const string NoAnswer = "unknown";

    /// <summary>
    /// Projected, never sent: when the source's email opt-in was given, if it knows. An opt-in is written over an opt-out that
    /// Dotdigital holds only when it is newer than that opt-out.
    /// </summary>
    public const string EmailConsentAtField = "consent.email.at";

    /// <summary>Projected field of an Insight record: its whole JSON.</summary>
    public const string RecordField = "record";

    /// <summary>Projected field of an order: the email of the contact that owns it.</summary>
    public const string OrderContactField = "contact.email";

    /// <summary>Projected field of an order: the source id of the customer that owns it, when not a guest.</summary>
    public const string OrderCustomerField = "contact.customer";

    /// <summary>Projected field of a stock level: the SKU's available-to-sell, written into its catalogue record.</summary>
    public const string StockField = "stock";

    /// <summary>Prefix of an event's one projected fact: <c>enrol.{programId}</c> → customer id.</summary>
    public const string EnrolPrefix = "enrol.";

    private readonly DotdigitalDestinationOptions _options;
    private readonly DotdigitalContactWriter _contacts;
    private readonly DotdigitalErasureWriter _erasures;
    private readonly DotdigitalInsightWriter _orders;
    private readonly DotdigitalProgramWriter _programs;
    private readonly DotdigitalCatalogueWriter _catalogue;

    /// <summary>
    /// Creates the destination over a client. <paramref name="delivered"/> (optional, the engine's read-only view of the delivered
    /// state) lets summaries and events find the email of a customer delivered before a restart.
    /// </summary>
    public DotdigitalDestination(DotdigitalClient client, DotdigitalDestinationOptions options, TimeProvider time, IDeliveredStateReader? delivered = null)
    {
        ValidateOptions(options);
        Client = client;
        _options = options;
        var directory = new DotdigitalContactDirectory(client, delivered, DestinationName);
        _contacts = new DotdigitalContactWriter(client, options, directory, new DotdigitalOptOuts(client, time), delivered);
        _erasures = new DotdigitalErasureWriter(client, options, directory);
        _orders = new DotdigitalInsightWriter(client, options, directory);
        _programs = new DotdigitalProgramWriter(client, options, directory, new HourlyCallBudget(options.EnrolmentCallsPerHour, time));
        _catalogue = new DotdigitalCatalogueWriter(options, _orders, new DotdigitalCatalogueState(delivered, DestinationName));
        // The client paces every HTTP call (imports poll, small batches make one call per record), so the engine's per-delivery
        // budget must not pace again: no per-delivery limit here, the tier limits live in Client.Budget.
        Limits = new DestinationLimits(Math.Max(1, options.MaxBatchSize), null);
    }

    /// <summary>The API client.</summary>
    public DotdigitalClient Client { get; }

    /// <inheritdoc />
    /// <remarks>
    /// With the statuses, the fields that make a write carry one (the time of the answer, whether there is an answer): a repair
    /// leaves them all out, so it never re-sends a status.
    /// </remarks>
    public IReadOnlySet<string> ConsentFields { get; } =
        new HashSet<string>(StringComparer.Ordinal) { EmailStatusField, SmsStatusField, EmailConsentAtField, ConsentAnswerField };

    /// <summary>Calls made per tier against the account's budget (null when the client was built without one).</summary>
    public DotdigitalCallBudget? CallBudget => Client.Budget;

    /// <inheritdoc />
    public string Name => DestinationName;

    /// <inheritdoc />
    public DestinationLimits Limits { get; }

    /// <summary>Creates a destination with its own authenticated <see cref="HttpClient"/> (over <paramref name="handler"/> when given).</summary>
    public static DotdigitalDestination Create(DotdigitalClientOptions clientOptions, DotdigitalDestinationOptions options, TimeProvider time,
        HttpMessageHandler? handler = null, IDeliveredStateReader? delivered = null)
    {
        var budget = NewCallBudget(options, time);
        var http = DotdigitalClient.CreateHttpClient(clientOptions, budget, handler);
        return new DotdigitalDestination(new DotdigitalClient(http, clientOptions, time, budget), options, time, delivered);
    }

    /// <summary>The account's call budget for these options (one per API user, shared by every call of its client).</summary>
    public static DotdigitalCallBudget NewCallBudget(DotdigitalDestinationOptions options, TimeProvider time) =>
        new(Math.Max(0, options.RequestsPerMinute), options.MediumTierPerMinute, options.HighTierPerMinute, time, options.AdaptToRateLimitHeaders);

    /// <inheritdoc />
    public bool Supports(EntityKind entity) =>
        entity is EntityKind.Customer or EntityKind.CustomerSummary or EntityKind.Order or EntityKind.Product or EntityKind.Event
            or EntityKind.Erasure
        || (entity == EntityKind.Stock && _options.DeliverStock);

    /// <inheritdoc />
    public DeliverySemantics Semantics(EntityKind entity) =>
        entity == EntityKind.Event ? DeliverySemantics.AppendOnce : DeliverySemantics.Upsert;

    /// <inheritdoc />
    public Projection Project(CanonicalRecord record) => record switch
    {
        Customer customer => _contacts.Project(customer),
        CustomerSummary summary => _contacts.Project(summary),
        Order order => _orders.Project(order),
        Product product => _catalogue.Project(product),
        CommerceEvent commerceEvent => _programs.Project(commerceEvent),
        StockLevel stock when _options.DeliverStock => DotdigitalCatalogueWriter.Project(stock),
        _ => Projection.Quarantine($"the Dotdigital destination does not take {record.Kind} records"),
    };

    /// <summary>Dotdigital email status for a consent state; null sends none. Unknown is never <c>subscribed</c>.</summary>
    public string? EmailStatus(ConsentStatus status) => _contacts.EmailStatus(status);

    /// <inheritdoc />
    public Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
        entity switch
        {
            EntityKind.Customer => _contacts.DeliverCustomersAsync(items, cancellationToken),
            EntityKind.CustomerSummary => _contacts.DeliverSummariesAsync(items, cancellationToken),
            EntityKind.Order => _orders.DeliverOrdersAsync(items, cancellationToken),
            EntityKind.Product => _catalogue.DeliverProductsAsync(items, cancellationToken),
            EntityKind.Stock => _catalogue.DeliverStockAsync(items, cancellationToken),
            EntityKind.Event => _programs.DeliverAsync(items, cancellationToken),
            EntityKind.Erasure => _erasures.DeliverAsync(items, cancellationToken),
            _ => throw new NotSupportedException($"The Dotdigital destination does not take {entity} records."),
        };

    internal static ItemFailure Failed(DotdigitalException ex) => new(ex.Kind, ex.PlatformCode, ex.Message);

    internal static bool IsItemProblem(DotdigitalException ex) => ex.Kind is FailureKind.Invalid or FailureKind.NotFound;

    /// <summary>Timestamps as Dotdigital's own connectors send them: UTC with milliseconds.</summary>
    internal static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void ValidateOptions(DotdigitalDestinationOptions options)
    {
        var unknown = options.Fields.Keys.Where(k => !DotdigitalContactWriter.ProjectableFields.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Concat(options.SummaryFields.Keys.Where(k => !DotdigitalContactWriter.SummaryNames.Contains(k, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Dotdigital Fields or SummaryFields map unknown canonical names: {string.Join(", ", unknown)}. "
                + $"Known: {string.Join(", ", DotdigitalContactWriter.ProjectableFields.Concat(DotdigitalContactWriter.SummaryNames))}.");
        }

        // Data field names are at most 20 characters and letters, digits and underscores.
        var badNames = options.Fields.Values.Concat(options.Attributes.Values).Concat(options.SummaryFields.Values)
            .Where(n => n.Length is 0 or > 20 || !n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')).ToList();
        if (badNames.Count > 0)
        {
            throw new ArgumentException($"Dotdigital data field names must be 1–20 letters, digits or underscores: {string.Join(", ", badNames)}.");
        }

        var duplicates = options.Fields.Values.Concat(options.Attributes.Values)
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Dotdigital data fields mapped more than once: {string.Join(", ", duplicates)}.");
        }

        if (string.IsNullOrWhiteSpace(options.OrdersCollection) || string.IsNullOrWhiteSpace(options.CatalogCollection))
        {
            throw new ArgumentException("Dotdigital OrdersCollection and CatalogCollection must be named.");
        }
    }
}
