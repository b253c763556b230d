namespace Tributary.Sandbox.Commercetools;

/// <summary>Ids and sort fields of products.</summary>
internal sealed class ProductShape : IResourceShape<SandboxProduct>
{
    public static string IdOf(SandboxProduct item) => item.Id!;

    public static int CompareOn(SandboxProduct a, SandboxProduct b, string field) => field switch
    {
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "version" => a.Version.CompareTo(b.Version),
        "key" => ResourceStore<SandboxProduct, ProductShape>.CompareNullable(a.Key, b.Key),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };
}

/// <summary>Ids and sort fields of inventory entries.</summary>
internal sealed class InventoryShape : IResourceShape<SandboxInventoryEntry>
{
    public static string IdOf(SandboxInventoryEntry item) => item.Id!;

    public static int CompareOn(SandboxInventoryEntry a, SandboxInventoryEntry b, string field) => field switch
    {
        "sku" => string.CompareOrdinal(a.Sku, b.Sku),
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "version" => a.Version.CompareTo(b.Version),
        "quantityOnStock" => a.QuantityOnStock.CompareTo(b.QuantityOnStock),
        "availableQuantity" => a.AvailableQuantity.CompareTo(b.AvailableQuantity),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };
}

/// <summary>Ids and sort fields of channels.</summary>
internal sealed class ChannelShape : IResourceShape<SandboxChannel>
{
    public static string IdOf(SandboxChannel item) => item.Id!;

    public static int CompareOn(SandboxChannel a, SandboxChannel b, string field) => field switch
    {
        "key" => string.CompareOrdinal(a.Key, b.Key),
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "version" => a.Version.CompareTo(b.Version),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };
}
