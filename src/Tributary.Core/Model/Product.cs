namespace Tributary.Core.Model;

/// <summary>A sellable variant; the SKU is the key.</summary>
public sealed record Product : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.Product;

    /// <inheritdoc />
    public override string Key => Sku;

    /// <summary>Variant SKU.</summary>
    public required string Sku { get; init; }

    /// <summary>The parent product id at the source.</summary>
    public string? ProductId { get; init; }

    /// <summary>Names per locale.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    /// <summary>Product page URLs per locale.</summary>
    public IReadOnlyDictionary<string, string> Urls { get; init; } = new Dictionary<string, string>();

    /// <summary>Descriptions per locale.</summary>
    public IReadOnlyDictionary<string, string> Descriptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Prices per currency (and scope), with the special price where one applies.</summary>
    public IReadOnlyList<ProductPrice> Prices { get; init; } = [];

    /// <summary>Main image URL.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Category path, outermost first.</summary>
    public IReadOnlyList<string> CategoryPath { get; init; } = [];

    /// <summary>Brand.</summary>
    public string? Brand { get; init; }

    /// <summary>True when the product is sellable.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Custom attributes.</summary>
    public IReadOnlyDictionary<string, string?> Attributes { get; init; } = new Dictionary<string, string?>();
}

/// <summary>A price in one currency, optionally scoped to a country or channel.</summary>
public sealed record ProductPrice(Money Price, Money? SpecialPrice = null, string? Country = null, string? Channel = null);
