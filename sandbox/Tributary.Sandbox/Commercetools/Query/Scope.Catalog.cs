namespace Tributary.Sandbox.Commercetools.Query;

internal sealed partial class Scope
{
    private static readonly Lazy<Scope> ProductScope = new(BuildProduct);
    private static readonly Lazy<Scope> InventoryScope = new(BuildInventory);
    private static readonly Lazy<Scope> ChannelScope = new(BuildChannel);

    /// <summary>The ProductProjection resource.</summary>
    public static Scope Product => ProductScope.Value;

    /// <summary>The InventoryEntry resource.</summary>
    public static Scope Inventory => InventoryScope.Value;

    /// <summary>The Channel resource.</summary>
    public static Scope Channel => ChannelScope.Value;

    private static Scope BuildProduct()
    {
        static SandboxProduct P(object x) => (SandboxProduct)x;
        static SandboxVariant V(object x) => (SandboxVariant)x;

        var variant = new Scope("ProductVariant")
            .Add(new NumberField("id", x => V(x).Id))
            .Add(new StringField("sku", x => V(x).Sku))
            .Add(new StringField("key", x => V(x).Key));

        var categoryReference = new Scope("CategoryReference")
            .Add(new StringField("id", x => (string)x))
            .Add(new StringField("typeId", _ => "category"));

        return new Scope("ProductProjection")
            .Add(new StringField("id", x => P(x).Id))
            .Add(new NumberField("version", x => P(x).Version))
            .Add(new StringField("key", x => P(x).Key))
            .Add(new BoolField("published", x => P(x).Published))
            .Add(new TimeField("createdAt", x => P(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => P(x).LastModifiedAt))
            .Add(new ObjectField("name", x => Localized(P(x).Name), Dynamic))
            .Add(new ObjectField("slug", x => Localized(P(x).Slug), Dynamic))
            .Add(new ArrayField("categories", x => P(x).CategoryIds, categoryReference))
            .Add(new ObjectField("masterVariant", x => P(x).MasterVariant, variant))
            .Add(new ArrayField("variants", x => P(x).Variants, variant));
    }

    private static Scope BuildInventory()
    {
        static SandboxInventoryEntry E(object x) => (SandboxInventoryEntry)x;

        var channelReference = new Scope("ChannelReference")
            .Add(new StringField("id", x => (string)x))
            .Add(new StringField("typeId", _ => "channel"));

        return new Scope("InventoryEntry")
            .Add(new StringField("id", x => E(x).Id))
            .Add(new NumberField("version", x => E(x).Version))
            .Add(new StringField("key", x => E(x).Key))
            .Add(new StringField("sku", x => E(x).Sku))
            .Add(new NumberField("quantityOnStock", x => E(x).QuantityOnStock))
            .Add(new NumberField("availableQuantity", x => E(x).AvailableQuantity))
            .Add(new NumberField("restockableInDays", x => E(x).RestockableInDays))
            .Add(new TimeField("createdAt", x => E(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => E(x).LastModifiedAt))
            .Add(new ObjectField("supplyChannel", x => E(x).SupplyChannelId, channelReference));
    }

    private static Scope BuildChannel()
    {
        static SandboxChannel C(object x) => (SandboxChannel)x;

        return new Scope("Channel")
            .Add(new StringField("id", x => C(x).Id))
            .Add(new NumberField("version", x => C(x).Version))
            .Add(new StringField("key", x => C(x).Key))
            .Add(new TimeField("createdAt", x => C(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => C(x).LastModifiedAt));
    }

    private static Dictionary<string, object?> Localized(Dictionary<string, string> values) =>
        values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
}
