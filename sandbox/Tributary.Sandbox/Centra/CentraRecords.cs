namespace Tributary.Sandbox.Centra;

/// <summary>A DTC customer as the emulator stores it. Mutable so tests and the demo can seed and change records.</summary>
public sealed class CentraSandboxCustomer
{
    /// <summary>Integer id; assigned on add when 0.</summary>
    public int Id { get; set; }

    /// <summary>Email as entered.</summary>
    public string Email { get; set; } = string.Empty;

    /// <summary>Given name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Family name.</summary>
    public string? LastName { get; set; }

    /// <summary>Phone number.</summary>
    public string? PhoneNumber { get; set; }

    /// <summary>Newsletter consent; null serves no value (the customer never answered).</summary>
    public bool? Newsletter { get; set; }

    /// <summary>False for the customer a guest checkout creates.</summary>
    public bool Registered { get; set; } = true;

    /// <summary>Store id.</summary>
    public int StoreId { get; set; } = 1;

    /// <summary>Market id.</summary>
    public int MarketId { get; set; } = 1;

    /// <summary>Language code.</summary>
    public string? Language { get; set; } = "en";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Served instead of <c>createdAt</c> when set, so tests can seed a malformed value.</summary>
    public string? CreatedAtOverride { get; set; }

    /// <summary>A copy.</summary>
    public CentraSandboxCustomer Clone() => (CentraSandboxCustomer)MemberwiseClone();
}

/// <summary>An order (DTC or wholesale, by its store's type).</summary>
public sealed class CentraSandboxOrder
{
    /// <summary>Order number (integer, unique); assigned on add when 0.</summary>
    public int Number { get; set; }

    /// <summary>AMS status as the GraphQL enum: PENDING, CONFIRMED, PROCESSING, SHIPPED, ARCHIVED, CANCELLED.</summary>
    public string Status { get; set; } = "CONFIRMED";

    /// <summary>Store id (store 2 is the wholesale store by default).</summary>
    public int StoreId { get; set; } = 1;

    /// <summary>Market id.</summary>
    public int MarketId { get; set; } = 1;

    /// <summary>The customer (DTC orders).</summary>
    public int? CustomerId { get; set; }

    /// <summary>Email of the shipping address.</summary>
    public string? Email { get; set; }

    /// <summary>Currency code.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Lines.</summary>
    public List<CentraSandboxOrderLine> Lines { get; set; } = [];

    /// <summary>Shipments (several for a partial delivery).</summary>
    public List<CentraSandboxShipment> Shipments { get; set; } = [];

    /// <summary>Returns.</summary>
    public List<CentraSandboxReturn> Returns { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A deep copy.</summary>
    public CentraSandboxOrder Clone()
    {
        var copy = (CentraSandboxOrder)MemberwiseClone();
        copy.Lines = Lines.ConvertAll(l => (CentraSandboxOrderLine)l.MemberwiseCloneLine());
        copy.Shipments = Shipments.ConvertAll(s => s.Clone());
        copy.Returns = Returns.ConvertAll(r => r.Clone());
        return copy;
    }
}

/// <summary>An order line.</summary>
public sealed class CentraSandboxOrderLine
{
    /// <summary>Line id.</summary>
    public int Id { get; set; }

    /// <summary>Size SKU.</summary>
    public string Sku { get; set; } = string.Empty;

    /// <summary>Product id.</summary>
    public int ProductId { get; set; }

    /// <summary>Product name.</summary>
    public string ProductName { get; set; } = string.Empty;

    /// <summary>Quantity ordered.</summary>
    public decimal Quantity { get; set; } = 1;

    /// <summary>Quantity cancelled.</summary>
    public decimal CancelledQuantity { get; set; }

    /// <summary>Unit price paid.</summary>
    public decimal UnitPrice { get; set; }

    /// <summary>Unit price before discounts.</summary>
    public decimal? UnitOriginalPrice { get; set; }

    internal object MemberwiseCloneLine() => MemberwiseClone();
}

/// <summary>A shipment covering some lines.</summary>
public sealed class CentraSandboxShipment
{
    /// <summary>Shipment id.</summary>
    public int Id { get; set; }

    /// <summary>Shipment number: the order number and a suffix ("1001-1").</summary>
    public string? Number { get; set; }

    /// <summary>Shipped (completed).</summary>
    public bool IsShipped { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was shipped.</summary>
    public DateTimeOffset? ShippedAt { get; set; }

    /// <summary>Carrier.</summary>
    public string? Carrier { get; set; }

    /// <summary>Tracking number.</summary>
    public string? TrackingNumber { get; set; }

    /// <summary>Order line id → quantity in this shipment.</summary>
    public Dictionary<int, decimal> Lines { get; set; } = [];

    /// <summary>A copy.</summary>
    public CentraSandboxShipment Clone()
    {
        var copy = (CentraSandboxShipment)MemberwiseClone();
        copy.Lines = new Dictionary<int, decimal>(Lines);
        return copy;
    }
}

/// <summary>A return with its refund.</summary>
public sealed class CentraSandboxReturn
{
    /// <summary>Return id.</summary>
    public int Id { get; set; }

    /// <summary>Completed (refunded); pending otherwise.</summary>
    public bool IsCompleted { get; set; } = true;

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Completion time.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Order line id → quantity returned.</summary>
    public Dictionary<int, decimal> Lines { get; set; } = [];

    /// <summary>Amount refunded.</summary>
    public decimal RefundValue { get; set; }

    /// <summary>A copy.</summary>
    public CentraSandboxReturn Clone()
    {
        var copy = (CentraSandboxReturn)MemberwiseClone();
        copy.Lines = new Dictionary<int, decimal>(Lines);
        return copy;
    }
}

/// <summary>A product (style) with variants (colours) and sizes (SKUs).</summary>
public sealed class CentraSandboxProduct
{
    /// <summary>Product id; assigned when 0.</summary>
    public int Id { get; set; }

    /// <summary>Name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Product number.</summary>
    public string ProductNumber { get; set; } = string.Empty;

    /// <summary>Brand name.</summary>
    public string? Brand { get; set; }

    /// <summary>ACTIVE or INACTIVE.</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>Category path, outermost first.</summary>
    public List<string> Category { get; set; } = [];

    /// <summary>Variants.</summary>
    public List<CentraSandboxVariant> Variants { get; set; } = [];
}

/// <summary>A variant (colour).</summary>
public sealed class CentraSandboxVariant
{
    /// <summary>Variant id; assigned when 0.</summary>
    public int Id { get; set; }

    /// <summary>Name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>ACTIVE or INACTIVE.</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>Main image URL.</summary>
    public string? ImageUrl { get; set; }

    /// <summary>Sizes.</summary>
    public List<CentraSandboxSize> Sizes { get; set; } = [];
}

/// <summary>A size: one SKU, prices per pricelist and free-to-allocate stock per warehouse.</summary>
public sealed class CentraSandboxSize
{
    /// <summary>Full SKU.</summary>
    public string Sku { get; set; } = string.Empty;

    /// <summary>Size label (S, M, L).</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>EAN.</summary>
    public string? Ean { get; set; }

    /// <summary>Pricelist id → price.</summary>
    public Dictionary<int, decimal> Prices { get; set; } = [];

    /// <summary>Pricelist id → sale price.</summary>
    public Dictionary<int, decimal> SalePrices { get; set; } = [];

    /// <summary>Warehouse id → free-to-allocate quantity.</summary>
    public Dictionary<int, int> Stock { get; set; } = [];

    /// <summary>Last modification time.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A store: DIRECT_TO_CONSUMER or WHOLESALE.</summary>
public sealed record CentraSandboxStore(int Id, string Name, string Type);

/// <summary>A market.</summary>
public sealed record CentraSandboxMarket(int Id, string Name);

/// <summary>A pricelist (one currency).</summary>
public sealed record CentraSandboxPricelist(int Id, string Name, string Currency);

/// <summary>A warehouse.</summary>
public sealed record CentraSandboxWarehouse(int Id, string Name);
