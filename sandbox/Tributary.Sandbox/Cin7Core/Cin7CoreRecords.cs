namespace Tributary.Sandbox.Cin7Core;

/// <summary>A customer as the emulator stores it. Mutable so tests and the demo can seed and change records.</summary>
public sealed class Cin7SandboxCustomer
{
    /// <summary>GUID; assigned on add when empty.</summary>
    public Guid Id { get; set; }

    /// <summary>Customer name (a company or a person; unique in Cin7 Core).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Active or Deprecated.</summary>
    public string Status { get; set; } = "Active";

    /// <summary>Currency code.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Price tier name.</summary>
    public string PriceTier { get; set; } = "Tier 1";

    /// <summary>Comma-separated tags.</summary>
    public string? Tags { get; set; }

    /// <summary>Country of the default shipping address.</summary>
    public string? Country { get; set; }

    /// <summary>Contacts: the only place emails live.</summary>
    public List<Cin7SandboxContact> Contacts { get; set; } = [];

    /// <summary><c>AdditionalAttribute1..10</c> by name; served as top-level fields.</summary>
    public Dictionary<string, string?> AdditionalAttributes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedOn { get; set; }

    /// <summary>Served instead of <c>LastModifiedOn</c> when set, so tests can seed a malformed value.</summary>
    public string? LastModifiedOnOverride { get; set; }

    /// <summary>A deep copy.</summary>
    public Cin7SandboxCustomer Clone()
    {
        var c = (Cin7SandboxCustomer)MemberwiseClone();
        c.Contacts = Contacts.Select(x => x with { }).ToList();
        c.AdditionalAttributes = new Dictionary<string, string?>(AdditionalAttributes, StringComparer.OrdinalIgnoreCase);
        return c;
    }
}

/// <summary>A customer contact.</summary>
public sealed record Cin7SandboxContact
{
    /// <summary>GUID; assigned on add when empty.</summary>
    public Guid Id { get; set; }

    /// <summary>Contact name.</summary>
    public string? Name { get; init; }

    /// <summary>Email (may be absent).</summary>
    public string? Email { get; init; }

    /// <summary>Phone.</summary>
    public string? Phone { get; init; }

    /// <summary>The customer's default contact.</summary>
    public bool Default { get; init; }

    /// <summary>Included in emails sent by Cin7 Core.</summary>
    public bool IncludeInEmail { get; init; }
}

/// <summary>A sale with its order lines, fulfilments and credit notes.</summary>
public sealed class Cin7SandboxSale
{
    /// <summary>GUID; assigned on add when empty.</summary>
    public Guid Id { get; set; }

    /// <summary>Order number (SO-00001); assigned on add when empty.</summary>
    public string? OrderNumber { get; set; }

    /// <summary>Overall status (ORDERED, BACKORDERED, SHIPPED, COMPLETED, VOIDED…).</summary>
    public string Status { get; set; } = "ORDERED";

    /// <summary>The customer.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>Customer name on the sale.</summary>
    public string? CustomerName { get; set; }

    /// <summary>Email on the sale.</summary>
    public string? Email { get; set; }

    /// <summary>Free text set by the integration that created the sale (Shopify, Amazon_US…); null when keyed in by staff.</summary>
    public string? SourceChannel { get; set; }

    /// <summary>Customer currency.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Combined payment status (UNPAID, PARTIALLY PAID, PAID).</summary>
    public string PaymentStatus { get; set; } = "UNPAID";

    /// <summary>When the order was placed.</summary>
    public DateTimeOffset OrderDate { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedOn { get; set; }

    /// <summary>Order lines.</summary>
    public List<Cin7SandboxSaleLine> Lines { get; set; } = [];

    /// <summary>Fulfilments (several for partial shipments).</summary>
    public List<Cin7SandboxFulfilment> Fulfilments { get; set; } = [];

    /// <summary>Credit notes.</summary>
    public List<Cin7SandboxCreditNote> CreditNotes { get; set; } = [];

    /// <summary>A deep copy.</summary>
    public Cin7SandboxSale Clone()
    {
        var s = (Cin7SandboxSale)MemberwiseClone();
        s.Lines = Lines.Select(l => l with { }).ToList();
        s.Fulfilments = Fulfilments.Select(f => f with { Lines = f.Lines.Select(l => l with { }).ToList() }).ToList();
        s.CreditNotes = CreditNotes.Select(c => c with { }).ToList();
        return s;
    }
}

/// <summary>An order line; <c>Discount</c> is a percentage.</summary>
public sealed record Cin7SandboxSaleLine(string Sku, decimal Quantity, decimal Price, string? Name = null, decimal Discount = 0, decimal Tax = 0)
{
    /// <summary>Line total after the discount, before tax.</summary>
    public decimal Total => Math.Round(Price * Quantity * (1 - (Discount / 100m)), 4);
}

/// <summary>A fulfilment: the packed lines and, once shipped, carrier and tracking.</summary>
public sealed record Cin7SandboxFulfilment
{
    /// <summary>Fulfilment number; assigned on add when 0.</summary>
    public int Number { get; set; }

    /// <summary>Packed quantities per SKU.</summary>
    public List<Cin7SandboxSaleLine> Lines { get; init; } = [];

    /// <summary>Whether the ship stage is authorised.</summary>
    public bool Shipped { get; init; }

    /// <summary>When it shipped.</summary>
    public DateTimeOffset? ShipmentDate { get; init; }

    /// <summary>Carrier.</summary>
    public string? Carrier { get; init; }

    /// <summary>Tracking number.</summary>
    public string? TrackingNumber { get; init; }

    /// <summary>Tracking URL.</summary>
    public string? TrackingUrl { get; init; }
}

/// <summary>An authorised credit note (refund).</summary>
public sealed record Cin7SandboxCreditNote(string Number, decimal Total, DateTimeOffset Date, string Status = "AUTHORISED");

/// <summary>A product (one SKU).</summary>
public sealed class Cin7SandboxProduct
{
    /// <summary>GUID; assigned on add when empty.</summary>
    public Guid Id { get; set; }

    /// <summary>SKU.</summary>
    public string Sku { get; set; } = string.Empty;

    /// <summary>Name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Active or Deprecated.</summary>
    public string Status { get; set; } = "Active";

    /// <summary>Category.</summary>
    public string? Category { get; set; }

    /// <summary>Brand.</summary>
    public string? Brand { get; set; }

    /// <summary>Price per tier name ("Tier 1" …).</summary>
    public Dictionary<string, decimal> PriceTiers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Image URLs; the first is the default attachment.</summary>
    public List<string> Images { get; set; } = [];

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedOn { get; set; }
}

/// <summary>Stock of a SKU at one location.</summary>
public sealed record Cin7SandboxStock(string Sku, string Location, decimal OnHand, decimal Allocated, decimal OnOrder = 0, string? Bin = null);

/// <summary>A location.</summary>
public sealed record Cin7SandboxLocation(Guid Id, string Name, bool IsDefault = false);

/// <summary>A webhook subscription as Cin7 Core stores it.</summary>
public sealed class Cin7SandboxWebhook
{
    /// <summary>GUID; assigned on add when empty.</summary>
    public Guid Id { get; set; }

    /// <summary>Event type, e.g. <c>Sale/ShipmentAuthorised</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>Name.</summary>
    public string? Name { get; set; }

    /// <summary>False once deactivated after too many failures.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Where calls are posted.</summary>
    public Uri? ExternalUrl { get; set; }

    /// <summary><c>noauth</c>, <c>basicauth</c> or <c>bearerauth</c>.</summary>
    public string ExternalAuthorizationType { get; set; } = "noauth";

    /// <summary>Basic auth user name.</summary>
    public string? ExternalUserName { get; set; }

    /// <summary>Basic auth password.</summary>
    public string? ExternalPassword { get; set; }

    /// <summary>Bearer token.</summary>
    public string? ExternalBearerToken { get; set; }

    /// <summary>Static headers sent with every call.</summary>
    public Dictionary<string, string> ExternalHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>What happened to one webhook call.</summary>
/// <param name="WebhookId">The subscription.</param>
/// <param name="Attempts">Attempts made (at most the configured maximum).</param>
/// <param name="Delivered">True when an attempt got a 2xx.</param>
/// <param name="Deactivated">True when the subscription was deactivated after this call.</param>
/// <param name="Statuses">HTTP status per attempt (0 when the receiver could not be reached).</param>
public sealed record Cin7WebhookDelivery(Guid WebhookId, int Attempts, bool Delivered, bool Deactivated, IReadOnlyList<int> Statuses);
