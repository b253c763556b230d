using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Writes customers and their summaries as Dotdigital contacts (matched by email), orders into the contact-scoped <c>Orders</c>
/// Insight collection, products into an account-scoped catalogue collection, and events as program enrolments.
/// </summary>
public sealed partial class DotdigitalDestination : IDestinationConnector
{
    /// <summary>The destination's name in state keys and logs.</summary>
    public const string DestinationName = "dotdigital";

    private readonly DotdigitalDestinationOptions _options;
    private readonly DotdigitalContactDirectory _directory;
    private readonly HourlyCallBudget _enrolments;
    private readonly DotdigitalCatalogueState _catalogue;
    private readonly IReadOnlySet<string> _numericFields;

    /// <summary>
    /// Creates the destination over a client. <paramref name="delivered"/> (optional, the engine's read-only view of the delivered
    /// state) lets summaries and events find the email of a customer delivered before a restart.
    /// </summary>
    public DotdigitalDestination(DotdigitalClient client, DotdigitalDestinationOptions options, TimeProvider time, IDeliveredStateReader? delivered = null)
    {
        ValidateOptions(options);
        Client = client;
        _options = options;
        _directory = new DotdigitalContactDirectory(client, delivered, DestinationName);
        _catalogue = new DotdigitalCatalogueState(delivered, DestinationName);
        _enrolments = new HourlyCallBudget(options.EnrolmentCallsPerHour, time);
        _numericFields = new HashSet<string>(
            options.SummaryFields.Where(f => f.Key is "orderCount" or "lifetimeValue" or "averageOrderValue").Select(f => f.Value),
            StringComparer.Ordinal);
        // The client paces every HTTP call (imports poll, small batches make one call per record), so the engine's per-delivery
        // budget must not pace again: no per-delivery limit here, the tier limits live in Client.Budget.
        Limits = new DestinationLimits(Math.Max(1, options.MaxBatchSize), null);
    }

    /// <summary>The API client.</summary>
    public DotdigitalClient Client { get; }

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
        || (entity == EntityKind.Stock && _options.DeliverStock);

    /// <inheritdoc />
    public DeliverySemantics Semantics(EntityKind entity) =>
        entity == EntityKind.Event ? DeliverySemantics.AppendOnce : DeliverySemantics.Upsert;

    /// <inheritdoc />
    public Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
        entity switch
        {
            EntityKind.Customer => DeliverCustomersAsync(items, cancellationToken),
            EntityKind.CustomerSummary => DeliverSummariesAsync(items, cancellationToken),
            EntityKind.Order => DeliverInsightAsync(items, _options.OrdersCollection, "contact", "orders", cancellationToken),
            EntityKind.Product => DeliverProductsAsync(items, cancellationToken),
            EntityKind.Stock => DeliverStockAsync(items, cancellationToken),
            EntityKind.Event => DeliverEventsAsync(items, cancellationToken),
            _ => throw new NotSupportedException($"The Dotdigital destination does not take {entity} records."),
        };

    private static ItemFailure Failed(DotdigitalException ex) => new(ex.Kind, ex.PlatformCode, ex.Message);

    private static bool IsItemProblem(DotdigitalException ex) => ex.Kind is FailureKind.Invalid or FailureKind.NotFound;

    private static void ValidateOptions(DotdigitalDestinationOptions options)
    {
        var unknown = options.Fields.Keys.Where(k => !ProjectableFields.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Concat(options.SummaryFields.Keys.Where(k => !SummaryNames.Contains(k, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Dotdigital Fields or SummaryFields map unknown canonical names: {string.Join(", ", unknown)}. "
                + $"Known: {string.Join(", ", ProjectableFields.Concat(SummaryNames))}.");
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
