using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// Seeding and story helpers for the catalogue: what a merchant does in the Merchant Center and what checkout does to stock,
/// each a single thread-safe write that bumps the record's version and <c>lastModifiedAt</c> like the platform does.
/// </summary>
public sealed partial class CommercetoolsEmulator
{
    /// <summary>A snapshot of every product (published or not), in id order.</summary>
    public IReadOnlyList<SandboxProduct> Products =>
        _products.Read(all => all.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Clone()).ToList());

    /// <summary>A snapshot of every inventory entry, in id order.</summary>
    public IReadOnlyList<SandboxInventoryEntry> Inventory =>
        _inventory.Read(all => all.Values.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Clone()).ToList());

    /// <summary>A snapshot of every channel, in id order.</summary>
    public IReadOnlyList<SandboxChannel> Channels =>
        _channels.Read(all => all.Values.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Clone()).ToList());

    /// <summary>Adds (or replaces) products, assigning ids, versions and timestamps when missing.</summary>
    public void AddProducts(IEnumerable<SandboxProduct> products) => _products.Put(products.Select(p =>
    {
        var copy = p.Clone();
        copy.Id ??= Guid.NewGuid().ToString();
        Stamp(copy.Version, copy.CreatedAt, copy.LastModifiedAt, out var version, out var created, out var modified);
        (copy.Version, copy.CreatedAt, copy.LastModifiedAt) = (version, created, modified);
        p.Id = copy.Id;
        return copy;
    }).ToList());

    /// <summary>Adds one product; returns its id.</summary>
    public string AddProduct(SandboxProduct product)
    {
        AddProducts([product]);
        return product.Id!;
    }

    /// <summary>A copy of one product, or null.</summary>
    public SandboxProduct? GetProduct(string id) => _products.Read(all => all.TryGetValue(id, out var p) ? p.Clone() : null);

    /// <summary>Changes a product (and publishes the change); bumps its version and lastModifiedAt. False when it does not exist.</summary>
    public bool UpdateProduct(string id, Action<SandboxProduct> change) => _products.Write(all =>
    {
        if (!all.TryGetValue(id, out var current))
        {
            return false;
        }

        var updated = current.Clone();
        change(updated);
        updated.Id = id;
        updated.Version = current.Version + 1;
        updated.LastModifiedAt = Now();
        all[id] = updated;
        return true;
    });

    /// <summary>Unpublishes a product: it leaves the current view (404 by id) and shows <c>published: false</c> in the staged one.</summary>
    public bool RemoveProduct(string id)
    {
        if (!UpdateProduct(id, p => p.Published = false))
        {
            return false;
        }

        Announce("product", id, "ProductUnpublished", GetProduct(id)?.Version ?? 1);
        return true;
    }

    /// <summary>
    /// Sets the price of a SKU in a currency (the price without country or channel scope, else the first in that currency; added
    /// when there is none), with the discounted value a product discount gives, or none. False when no variant has the SKU.
    /// </summary>
    public bool SetPrice(string sku, string currency, decimal amount, decimal? discounted = null)
    {
        var id = _products.Read(all => all.Values.FirstOrDefault(p => p.AllVariants.Any(v => v.Sku == sku))?.Id);
        var changed = id is not null && UpdateProduct(id, p =>
        {
            var variant = p.AllVariants.First(v => v.Sku == sku);
            var index = variant.Prices.FindIndex(x => x.Value.CurrencyCode == currency && x.Country is null && x.ChannelId is null);
            index = index >= 0 ? index : variant.Prices.FindIndex(x => x.Value.CurrencyCode == currency);
            var value = SandboxMoney.Of(amount, currency);
            var offer = discounted is { } d ? SandboxMoney.Of(d, currency) : (SandboxMoney?)null;
            if (index < 0)
            {
                variant.Prices.Add(new SandboxPrice(Guid.NewGuid().ToString(), value, Discounted: offer));
            }
            else
            {
                variant.Prices[index] = variant.Prices[index] with { Value = value, Discounted = offer };
            }
        });
        if (changed && GetProduct(id!) is { } product)
        {
            // Changed in current and staged alike, as a merchant's setPrices with staged: false does.
            var variant = product.AllVariants.First(v => v.Sku == sku);
            Announce("product", id!, "ProductPricesSet", product.Version, w =>
            {
                w.WriteNumber("variantId", variant.Id);
                w.WriteStartArray("prices");
                foreach (var price in variant.Prices)
                {
                    CatalogJson.WritePrice(w, price);
                }

                w.WriteEndArray();
                w.WriteBoolean("staged", false);
            });
        }

        return changed;
    }

    /// <summary>Adds (or replaces) inventory entries, assigning ids, versions and timestamps when missing.</summary>
    public void AddInventory(IEnumerable<SandboxInventoryEntry> entries) => _inventory.Put(entries.Select(e =>
    {
        var copy = e.Clone();
        copy.Id ??= Guid.NewGuid().ToString();
        Stamp(copy.Version, copy.CreatedAt, copy.LastModifiedAt, out var version, out var created, out var modified);
        (copy.Version, copy.CreatedAt, copy.LastModifiedAt) = (version, created, modified);
        e.Id = copy.Id;
        return copy;
    }).ToList());

    /// <summary>
    /// Sets the stock of a SKU in a supply channel (by key; null for the default stock), creating the entry when missing. The
    /// entry's version and lastModifiedAt move. False when the channel key is unknown.
    /// </summary>
    public bool SetStock(string sku, string? channelKey, long quantityOnStock, long availableQuantity)
    {
        string? channelId = null;
        if (channelKey is not null)
        {
            channelId = _channels.Read(all => all.Values.FirstOrDefault(c => c.Key == channelKey)?.Id);
            if (channelId is null)
            {
                return false;
            }
        }

        var (before, after) = _inventory.Write(all =>
        {
            var now = Now();
            var current = all.Values.FirstOrDefault(e => e.Sku == sku && e.SupplyChannelId == channelId);
            var updated = current?.Clone() ?? new SandboxInventoryEntry
            {
                Id = Guid.NewGuid().ToString(), Sku = sku, SupplyChannelId = channelId, CreatedAt = now,
            };
            updated.QuantityOnStock = quantityOnStock;
            updated.AvailableQuantity = availableQuantity;
            updated.Version = (current?.Version ?? 0) + 1;
            updated.LastModifiedAt = now;
            _inventory.AddLocked(updated);
            return (current, updated.Clone());
        });
        if (before is null)
        {
            Announce("inventory-entry", after.Id!, "InventoryEntryCreated", after.Version, w =>
            {
                w.WritePropertyName("inventoryEntry");
                CatalogJson.WriteInventory(w, after);
            });
        }
        else
        {
            AnnounceQuantity(before, after);
        }

        return true;
    }

    /// <summary>Adds (or replaces) a channel; returns its id.</summary>
    public string AddChannel(SandboxChannel channel)
    {
        var copy = channel.Clone();
        copy.Id ??= Guid.NewGuid().ToString();
        Stamp(copy.Version, copy.CreatedAt, copy.LastModifiedAt, out var version, out var created, out var modified);
        (copy.Version, copy.CreatedAt, copy.LastModifiedAt) = (version, created, modified);
        channel.Id = copy.Id;
        _channels.Put([copy]);
        return copy.Id;
    }

    /// <summary>Adds channels.</summary>
    public void AddChannels(IEnumerable<SandboxChannel> channels)
    {
        foreach (var channel in channels)
        {
            AddChannel(channel);
        }
    }

    private void Stamp(long version, DateTimeOffset createdAt, DateTimeOffset modifiedAt, out long v, out DateTimeOffset created,
        out DateTimeOffset modified)
    {
        var now = Now();
        v = version <= 0 ? 1 : version;
        created = createdAt == default ? now : TruncateToMilliseconds(createdAt);
        modified = modifiedAt == default ? created : TruncateToMilliseconds(modifiedAt);
    }
}
