using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    /// <summary>Projected field holding the contact's email identifier.</summary>
    public const string EmailField = "identifiers.email";

    /// <summary>Prefix of projected data fields (<c>dataFields.FIRSTNAME</c>).</summary>
    public const string DataFieldPrefix = "dataFields.";

    /// <summary>Projected field holding the email channel status.</summary>
    public const string EmailStatusField = "channelProperties.email.status";

    /// <summary>Projected field holding the list ids, comma separated.</summary>
    public const string ListsField = "lists";

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

    private static readonly string[] ProjectableFields =
        ["firstName", "lastName", "fullName", "dateOfBirth", "customerNumber", "store", "locale", "currency"];

    private static readonly string[] SummaryNames = ["orderCount", "lifetimeValue", "averageOrderValue", "firstOrderAt", "lastOrderAt"];

    /// <inheritdoc />
    public Projection Project(CanonicalRecord record) => record switch
    {
        Customer customer => ProjectCustomer(customer),
        CustomerSummary summary => ProjectSummary(summary),
        Order order => ProjectOrder(order),
        Product product => ProjectProduct(product),
        CommerceEvent commerceEvent => ProjectEvent(commerceEvent),
        StockLevel stock when _options.DeliverStock => ProjectStock(stock),
        _ => Projection.Quarantine($"the Dotdigital destination does not take {record.Kind} records"),
    };

    /// <summary>Dotdigital email status for a consent state; null sends none. Unknown is never <c>subscribed</c>.</summary>
    public string? EmailStatus(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => DotdigitalEmailStatus.Subscribed,
        ConsentStatus.Unsubscribed => DotdigitalEmailStatus.Unsubscribed,
        _ => _options.UnknownConsent == UnknownConsentHandling.Unsubscribed ? DotdigitalEmailStatus.Unsubscribed : null,
    };

    private Projection ProjectCustomer(Customer customer)
    {
        if (!EmailRule.TryNormalize(customer.Email, out var email, out var reason))
        {
            return Projection.Quarantine(reason ?? "invalid email address");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [EmailField] = email };
        foreach (var (name, dataField) in _options.Fields)
        {
            fields[DataFieldPrefix + dataField] = CanonicalValue(customer, name);
        }

        foreach (var (attribute, dataField) in _options.Attributes)
        {
            fields[DataFieldPrefix + dataField] = customer.Attributes.TryGetValue(attribute, out var value) ? value : null;
        }

        if (_options.SendEmailConsent && EmailStatus(customer.ConsentFor(ConsentChannels.Email).Status) is { } status)
        {
            fields[EmailStatusField] = status;
        }

        if (_options.ListIds.Count > 0)
        {
            fields[ListsField] = string.Join(',', _options.ListIds.Order());
        }

        return new Projection(fields);
    }

    private Projection ProjectSummary(CustomerSummary summary)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, dataField) in _options.SummaryFields)
        {
            fields[DataFieldPrefix + dataField] = name.ToLowerInvariant() switch
            {
                "ordercount" => summary.OrderCount.ToString(CultureInfo.InvariantCulture),
                "lifetimevalue" => Amount(summary.LifetimeValue),
                "averageordervalue" => Amount(summary.AverageOrderValue),
                "firstorderat" => Timestamp(summary.FirstOrderAt),
                "lastorderat" => Timestamp(summary.LastOrderAt),
                _ => null,
            };
        }

        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, summary.CustomerId));
    }

    private Projection ProjectOrder(Order order)
    {
        if (!EmailRule.TryNormalize(order.Email, out var email, out var reason))
        {
            return Projection.Quarantine($"order has no usable email ({reason}): Order Insight records belong to a contact");
        }

        var refunded = order.Refunds.Sum(r => r.Amount.Amount);
        var status = order.Status is { } s && _options.OrderStatuses.TryGetValue(s, out var mapped) ? mapped : order.SourceStatus?.ToLowerInvariant();
        if (order.Total.Amount > 0 && refunded >= order.Total.Amount && order.Status != OrderStatus.Cancelled)
        {
            status = _options.RefundedStatus;
        }

        var record = new OrderInsight
        {
            Id = order.OrderNumber ?? order.SourceId,
            Email = email,
            StoreName = order.Store,
            PurchaseDate = Timestamp(order.PlacedAt)!,
            OrderStatus = status,
            Currency = order.Currency,
            OrderSubtotal = order.Lines.Sum(l => l.LineTotal.Amount),
            // Negative, as the official connectors send it.
            DiscountAmount = -order.Lines.Sum(l => l.Discount?.Amount ?? 0),
            OrderTotal = order.Total.Amount - refunded,
            Products = order.Lines.Count == 0 ? null : order.Lines.Select(l => new OrderInsightProduct
            {
                ProductId = l.ProductId ?? l.Sku,
                ParentId = l.ProductId ?? l.Sku,
                Name = l.Name ?? l.Sku,
                Sku = l.Sku,
                Qty = (int)Math.Round(l.Quantity, MidpointRounding.AwayFromZero),
                Price = l.UnitPrice.Amount,
            }).ToList(),
        };
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [OrderContactField] = email,
            [RecordField] = JsonSerializer.Serialize(record, DotdigitalInsightJsonContext.Default.OrderInsight),
        };
        if (!string.IsNullOrWhiteSpace(order.CustomerId))
        {
            fields[OrderCustomerField] = order.CustomerId;
            return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, order.CustomerId));
        }

        // A guest order waits on nothing: its contact is found by email (GuestOrders says whether one may be created; see README).
        return _options.GuestOrders == GuestOrderHandling.Skip ? new Projection(new Dictionary<string, string?>()) : new Projection(fields);
    }

    private Projection ProjectProduct(Product product)
    {
        var price = _options.CatalogCurrency is { } currency
            ? product.Prices.FirstOrDefault(p => string.Equals(p.Price.Currency, currency, StringComparison.OrdinalIgnoreCase))
            : (product.Prices.Count > 0 ? product.Prices[0] : null);
        if (price is null)
        {
            return Projection.Quarantine($"product has no price{(_options.CatalogCurrency is { } c ? $" in {c}" : string.Empty)}: the catalogue needs one");
        }

        var name = Localized(product.Names) ?? product.Sku;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", product.Sku);
            json.WriteString("name", name);
            json.WriteString("sku", product.Sku);
            json.WriteNumber("price", price.Price.Amount);
            if (price.SpecialPrice is { } special)
            {
                json.WriteNumber("specialPrice", special.Amount);
            }

            json.WriteString("currency", price.Price.Currency);
            if (Localized(product.Urls) is { } url)
            {
                json.WriteString("url", url);
            }

            if (!string.IsNullOrWhiteSpace(product.ImageUrl))
            {
                json.WriteString(_options.CatalogImageKey, product.ImageUrl);
            }

            if (product.Attributes.TryGetValue("stock", out var stockText)
                && decimal.TryParse(stockText, NumberStyles.Number, CultureInfo.InvariantCulture, out var stock))
            {
                json.WriteNumber("stock", stock);
            }

            json.WriteString("status", product.Active ? "Enabled" : "Disabled");
            if (!string.IsNullOrWhiteSpace(product.Brand))
            {
                json.WriteString("brand", product.Brand);
            }

            if (product.CategoryPath.Count > 0)
            {
                json.WriteStartArray("categories");
                foreach (var category in product.CategoryPath)
                {
                    json.WriteStringValue(category);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return new Projection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [RecordField] = Encoding.UTF8.GetString(buffer.WrittenSpan),
        });
    }

    // The catalogue record is written whole, so a stock level waits for its product's record to exist.
    private static Projection ProjectStock(StockLevel stock) => new(
        new Dictionary<string, string?>(StringComparer.Ordinal) { [StockField] = stock.AvailableToSell.ToString(CultureInfo.InvariantCulture) },
        DependsOn: new DependencyKey(EntityKind.Product, stock.Sku));

    private Projection ProjectEvent(CommerceEvent commerceEvent)
    {
        if (!_options.Programs.TryGetValue(commerceEvent.Type, out var programId))
        {
            // Unmapped event types send nothing: no fields, so the engine finds nothing to deliver.
            return new Projection(new Dictionary<string, string?>());
        }

        if (string.IsNullOrWhiteSpace(commerceEvent.CustomerId))
        {
            return Projection.Quarantine($"{commerceEvent.Type} event has no customer to enrol into program {programId}");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [EnrolPrefix + programId.ToString(CultureInfo.InvariantCulture)] = commerceEvent.CustomerId,
        };
        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, commerceEvent.CustomerId));
    }

    private string? Localized(IReadOnlyDictionary<string, string> values) =>
        _options.CatalogLocale is { } locale && values.TryGetValue(locale, out var value) ? value : values.Values.FirstOrDefault();

    private static string? CanonicalValue(Customer customer, string name) => name.ToLowerInvariant() switch
    {
        "firstname" => Blank(customer.FirstName),
        "lastname" => Blank(customer.LastName),
        "fullname" => Blank($"{customer.FirstName?.Trim()} {customer.LastName?.Trim()}"),
        // Date data fields take ISO-8601.
        "dateofbirth" => customer.DateOfBirth?.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture),
        "customernumber" => Blank(customer.CustomerNumber),
        "store" => Blank(customer.Store),
        "locale" => Blank(customer.Locale),
        "currency" => Blank(customer.Currency),
        _ => null,
    };

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
