namespace Tributary.Connectors.Centra.Api;

/// <summary>
/// The fixed query shapes the client sends. Field names follow the documented example queries of the Integration API; the
/// ones marked unconfirmed in the README (keyset filters, <c>newsletter</c>, <c>registered</c>, order <c>shipments</c> and
/// <c>returns</c>, <c>productSizes</c> with prices and stock) need an introspection run against a QA tenant.
/// </summary>
internal static class Queries
{
    private const string CustomerFields =
        "id email firstName lastName phoneNumber registered createdAt updatedAt store { id name type } market { id name } language { code }";

    private const string OrderFields = """
        __typename id number status createdAt orderDate updatedAt isOnHold
        store { id name type } market { id name } pricelist { id name }
        grandTotal { value currency { code } }
        ... on DirectToConsumerOrder { customer { id email registered } }
        shippingAddress { email } billingAddress { email }
        lines { id quantity cancelledQuantity productName productSize { SKU } product { id } unitPrice { value } unitOriginalPrice { value } lineValue { value } }
        shipments { id number createdAt isShipped shippedAt trackingNumber carrierInformation { carrierName serviceName } lines { id quantity } }
        returns { id createdAt completedAt isCompleted lines { id quantity } refundValue { value currency { code } } }
        """;

    private const string ProductFields = """
        SKU EAN description updatedAt
        productVariant { id name status media { url } }
        product { id name productNumber status brand { name } categories { name } }
        prices { pricelist { id name } price { value currency { code } } salePrice { value currency { code } } }
        """;

    public static string Customers(string consentField) =>
        $"query Customers($where: CustomerFilter, $limit: Int!) {{ customers(where: $where, sort: [id_ASC], limit: $limit, page: 1) {{ {CustomerFields} {consentField} }} }}";

    public static string Orders { get; } =
        $"query Orders($where: OrderFilter, $limit: Int!) {{ orders(where: $where, sort: [number_ASC], limit: $limit, page: 1) {{ {OrderFields} }} }}";

    public static string ProductSizes { get; } =
        $"query ProductSizes($where: ProductSizeFilter, $limit: Int!) {{ productSizes(where: $where, sort: [SKU_ASC], limit: $limit, page: 1) {{ {ProductFields} }} }}";

    public static string StockLevels { get; } =
        "query StockLevels($where: ProductSizeFilter, $limit: Int!) { productSizes(where: $where, sort: [SKU_ASC], limit: $limit, page: 1) { SKU stock { warehouse { id name } freeToAllocateQuantity } } }";

    public static string Stores { get; } = "query Stores { stores { id name type } }";

    public static string Markets { get; } = "query Markets { markets { id name } }";

    public static string RateLimits { get; } = "query RateLimits { rateLimits { type intervalSeconds quota usedQuota remainingQuota } }";
}
