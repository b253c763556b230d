namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// A product as the emulator stores it, mirroring the commercetools Product resource as its projections show it: the current data
/// (served by the current view while <see cref="Published"/>) and, once an update action changed the staged data only (the
/// platform's default), <see cref="StagedData"/> until <c>publish</c> makes it current. The seeding helpers change both at once.
/// Unpublishing hides the product from the current view, as the platform does.
/// </summary>
public sealed class SandboxProduct
{
    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version; 1 on create, bumped by every write.</summary>
    public long Version { get; set; }

    /// <summary>User-defined unique key.</summary>
    public string? Key { get; set; }

    /// <summary>Id of the product type.</summary>
    public string ProductTypeId { get; set; } = "sandbox-product-type";

    /// <summary>Name per locale (LocalizedString).</summary>
    public Dictionary<string, string> Name { get; set; } = [];

    /// <summary>URL slug per locale (LocalizedString, required by the platform).</summary>
    public Dictionary<string, string> Slug { get; set; } = [];

    /// <summary>Description per locale; served only when not empty.</summary>
    public Dictionary<string, string> Description { get; set; } = [];

    /// <summary>Ids of the categories the product is in.</summary>
    public List<string> CategoryIds { get; set; } = [];

    /// <summary>The master variant (variant id 1).</summary>
    public SandboxVariant MasterVariant { get; set; } = new();

    /// <summary>The other variants (ids 2, 3, …).</summary>
    public List<SandboxVariant> Variants { get; set; } = [];

    /// <summary>True when the product is published (served by the current view).</summary>
    public bool Published { get; set; } = true;

    /// <summary>Creation time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>The master variant followed by the other variants.</summary>
    public IEnumerable<SandboxVariant> AllVariants => Variants.Prepend(MasterVariant);

    /// <summary>The staged data when it differs from the current data (<c>hasStagedChanges</c>); null otherwise.</summary>
    public SandboxProduct? StagedData { get; set; }

    /// <summary>The staged projection: the staged data under this product's id, version, flags and timestamps.</summary>
    public SandboxProduct StagedView()
    {
        if (StagedData is null)
        {
            return this;
        }

        var view = StagedData.Clone();
        (view.Id, view.Version, view.Key, view.Published, view.CreatedAt, view.LastModifiedAt, view.StagedData) =
            (Id, Version, Key, Published, CreatedAt, LastModifiedAt, null);
        return view;
    }

    /// <summary>A deep copy.</summary>
    public SandboxProduct Clone()
    {
        var copy = (SandboxProduct)MemberwiseClone();
        copy.Name = new Dictionary<string, string>(Name);
        copy.Slug = new Dictionary<string, string>(Slug);
        copy.Description = new Dictionary<string, string>(Description);
        copy.CategoryIds = [.. CategoryIds];
        copy.MasterVariant = MasterVariant.Clone();
        copy.Variants = Variants.ConvertAll(v => v.Clone());
        copy.StagedData = StagedData?.Clone();
        return copy;
    }
}

/// <summary>A ProductVariant: SKU, prices, images and attributes.</summary>
public sealed class SandboxVariant
{
    /// <summary>Variant id within the product; the master variant is 1.</summary>
    public int Id { get; set; } = 1;

    /// <summary>The SKU (optional on the platform).</summary>
    public string? Sku { get; set; }

    /// <summary>User-defined key.</summary>
    public string? Key { get; set; }

    /// <summary>Embedded prices.</summary>
    public List<SandboxPrice> Prices { get; set; } = [];

    /// <summary>Image URLs, in display order.</summary>
    public List<string> Images { get; set; } = [];

    /// <summary>Attribute values by name: strings, numbers, booleans, or maps for localized and enum values.</summary>
    public Dictionary<string, object?> Attributes { get; set; } = [];

    /// <summary>A deep copy.</summary>
    public SandboxVariant Clone()
    {
        var copy = (SandboxVariant)MemberwiseClone();
        copy.Prices = Prices.ConvertAll(p => p with { });
        copy.Images = [.. Images];
        copy.Attributes = new Dictionary<string, object?>(Attributes);
        return copy;
    }
}

/// <summary>An embedded Price, optionally scoped to a country or channel, with the discounted value a product discount gives.</summary>
/// <param name="Id">Price id.</param>
/// <param name="Value">The price.</param>
/// <param name="Country">ISO 3166-1 country the price applies in; null for all.</param>
/// <param name="ChannelId">Id of the channel the price applies in; null for all.</param>
/// <param name="Discounted">The discounted value; null when no product discount applies.</param>
/// <param name="DiscountId">Id of the product discount behind <paramref name="Discounted"/>.</param>
public sealed record SandboxPrice(string Id, SandboxMoney Value, string? Country = null, string? ChannelId = null,
    SandboxMoney? Discounted = null, string? DiscountId = null);

/// <summary>An InventoryEntry: stock of one SKU in one supply channel (or the default stock when the channel is null).</summary>
public sealed class SandboxInventoryEntry
{
    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version; 1 on create, bumped by every write.</summary>
    public long Version { get; set; }

    /// <summary>User-defined key.</summary>
    public string? Key { get; set; }

    /// <summary>The SKU.</summary>
    public string Sku { get; set; } = string.Empty;

    /// <summary>Id of the supply channel; null for the default stock.</summary>
    public string? SupplyChannelId { get; set; }

    /// <summary>Units physically on stock.</summary>
    public long QuantityOnStock { get; set; }

    /// <summary>Units on stock less reservations (read-only on the platform).</summary>
    public long AvailableQuantity { get; set; }

    /// <summary>Days until restock.</summary>
    public int? RestockableInDays { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>A copy.</summary>
    public SandboxInventoryEntry Clone() => (SandboxInventoryEntry)MemberwiseClone();
}

/// <summary>A Channel: a warehouse (InventorySupply) or a sales channel (ProductDistribution).</summary>
public sealed class SandboxChannel
{
    /// <summary>Role of a channel that holds stock.</summary>
    public const string InventorySupply = "InventorySupply";

    /// <summary>Role of a channel that sells (prices may be scoped to it).</summary>
    public const string ProductDistribution = "ProductDistribution";

    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version.</summary>
    public long Version { get; set; }

    /// <summary>Unique key (required by the platform).</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Roles: InventorySupply, ProductDistribution, OrderExport, OrderImport, Primary.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Name per locale.</summary>
    public Dictionary<string, string> Name { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>A deep copy.</summary>
    public SandboxChannel Clone()
    {
        var copy = (SandboxChannel)MemberwiseClone();
        copy.Roles = [.. Roles];
        copy.Name = new Dictionary<string, string>(Name);
        return copy;
    }
}
