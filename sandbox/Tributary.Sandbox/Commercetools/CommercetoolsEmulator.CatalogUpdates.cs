using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// The documented update actions on inventory entries (<c>addQuantity</c>, <c>removeQuantity</c>, <c>changeQuantity</c>) and
/// products (<c>changePrice</c>, <c>addPrice</c>, <c>setPrices</c>, <c>publish</c>, <c>unpublish</c>), over HTTP, so a person or
/// a script can move stock and prices in a running sandbox. Each change announces the message the platform creates for it
/// (Messages API and the push subscription). Price actions change the staged data unless <c>staged: false</c>, as the platform's
/// default is; <c>publish</c> makes the staged data current.
/// </summary>
public sealed partial class CommercetoolsEmulator
{
    /// <summary><c>GET /inventory/{id}</c>.</summary>
    private IResult GetInventoryById(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ViewProducts, ManageProducts) is { } denied)
        {
            return denied;
        }

        return _inventory.Read(all => all.TryGetValue(id, out var entry)
            ? CtResults.Json(StatusCodes.Status200OK, w => CatalogJson.WriteInventory(w, entry), 512)
            : NotFound(id));
    }

    /// <summary><c>POST /inventory/{id}</c> with <c>{version, actions}</c>.</summary>
    private async Task<IResult> UpdateInventoryAsync(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ManageProducts) is { } denied)
        {
            return denied;
        }

        using var body = await ReadJsonAsync(http);
        if (ReadUpdate(body, out var version, out var actions) is { } invalid)
        {
            return invalid;
        }

        SandboxInventoryEntry? before = null;
        SandboxInventoryEntry? after = null;
        var result = _inventory.Write(all =>
        {
            if (!all.TryGetValue(id, out var current))
            {
                return NotFound(id);
            }

            if (current.Version != version)
            {
                return CtResults.ConcurrentModification(version, current.Version);
            }

            var updated = current.Clone();
            foreach (var action in actions.EnumerateArray())
            {
                var name = ActionName(action);
                if (name is not ("addQuantity" or "removeQuantity" or "changeQuantity"))
                {
                    return UnknownAction(name, "inventory entry");
                }

                if (!action.TryGetProperty("quantity", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out var quantity))
                {
                    return CtResults.Error(StatusCodes.Status400BadRequest, "InvalidJsonInput",
                        $"Request body does not contain valid JSON: '{name}' needs 'quantity' (integer).");
                }

                var delta = name switch
                {
                    "addQuantity" => quantity,
                    "removeQuantity" => -quantity,
                    _ => quantity - updated.QuantityOnStock,
                };
                updated.QuantityOnStock += delta;
                updated.AvailableQuantity += delta;
            }

            updated.Version = current.Version + 1;
            updated.LastModifiedAt = Now();
            _inventory.AddLocked(updated);
            (before, after) = (current, updated.Clone());
            return CtResults.Json(StatusCodes.Status200OK, w => CatalogJson.WriteInventory(w, updated), 512);
        });

        if (before is not null && after is not null)
        {
            AnnounceQuantity(before, after);
        }

        return result;
    }

    /// <summary><c>POST /products/{id}</c> with <c>{version, actions}</c>.</summary>
    private async Task<IResult> UpdateProductAsync(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ManageProducts) is { } denied)
        {
            return denied;
        }

        using var body = await ReadJsonAsync(http);
        if (ReadUpdate(body, out var version, out var actions) is { } invalid)
        {
            return invalid;
        }

        var announcements = new List<(string Type, Action<Utf8JsonWriter> Fields)>();
        SandboxProduct? changed = null;
        var result = _products.Write(all =>
        {
            var current = id.StartsWith("key=", StringComparison.Ordinal) ? all.Values.FirstOrDefault(p => p.Key == id[4..]) : all.GetValueOrDefault(id);
            if (current is null)
            {
                return NotFound(id);
            }

            if (current.Version != version)
            {
                return CtResults.ConcurrentModification(version, current.Version);
            }

            var updated = current.Clone();
            foreach (var action in actions.EnumerateArray())
            {
                if (ApplyProductAction(updated, action, announcements) is { } error)
                {
                    return error;
                }
            }

            updated.Version = current.Version + 1;
            updated.LastModifiedAt = Now();
            all[updated.Id!] = updated;
            changed = updated.Clone();
            return CtResults.Json(StatusCodes.Status200OK, w => CatalogJson.WriteProductResource(w, updated), 4096);
        });

        if (changed is not null)
        {
            foreach (var (type, fields) in announcements)
            {
                Announce("product", changed.Id!, type, changed.Version, fields);
            }
        }

        return result;
    }

    private static IResult? ApplyProductAction(SandboxProduct product, JsonElement action, List<(string, Action<Utf8JsonWriter>)> announcements)
    {
        var name = ActionName(action);
        switch (name)
        {
            case "publish":
                if (product.StagedData is not null)
                {
                    var view = product.StagedView();
                    (product.Name, product.Slug, product.Description, product.CategoryIds, product.MasterVariant, product.Variants) =
                        (view.Name, view.Slug, view.Description, view.CategoryIds, view.MasterVariant, view.Variants);
                    product.StagedData = null;
                }

                product.Published = true;
                var projection = product.Clone();
                announcements.Add(("ProductPublished", w =>
                {
                    w.WriteStartArray("removedImageUrls");
                    w.WriteEndArray();
                    w.WritePropertyName("productProjection");
                    CatalogJson.WriteProduct(w, projection, null);
                    w.WriteString("scope", "All");
                }));
                return null;
            case "unpublish":
                product.Published = false;
                announcements.Add(("ProductUnpublished", _ => { }));
                return null;
            case "changePrice" or "addPrice" or "setPrices":
                return ApplyPriceAction(product, name, action, announcements);
            default:
                return UnknownAction(name, "product");
        }
    }

    private static IResult? ApplyPriceAction(SandboxProduct product, string name, JsonElement action, List<(string, Action<Utf8JsonWriter>)> announcements)
    {
        // The platform's default for price actions is the staged data only; staged: false changes current and staged alike.
        var staged = !action.TryGetProperty("staged", out var s) || s.ValueKind != JsonValueKind.False;
        var targets = new List<SandboxProduct>();
        if (staged)
        {
            product.StagedData ??= product.StagedView().Clone();
            targets.Add(product.StagedData);
        }
        else
        {
            targets.Add(product);
            if (product.StagedData is not null)
            {
                targets.Add(product.StagedData);
            }
        }

        if (name == "changePrice")
        {
            var priceId = action.TryGetProperty("priceId", out var pid) && pid.ValueKind == JsonValueKind.String ? pid.GetString() : null;
            if (!TryReadPrice(action, "price", out var draft))
            {
                return PriceDraftError(name);
            }

            SandboxPrice? old = null;
            long variantId = 0;
            foreach (var target in targets)
            {
                var variant = target.AllVariants.FirstOrDefault(v => v.Prices.Any(p => p.Id == priceId));
                if (variant is null)
                {
                    return CtResults.Error(StatusCodes.Status400BadRequest, "InvalidOperation", $"The price with ID '{priceId}' does not exist.");
                }

                var index = variant.Prices.FindIndex(p => p.Id == priceId);
                old ??= variant.Prices[index];
                variantId = variant.Id;
                variant.Prices[index] = draft with { Id = priceId! };
            }

            var (previous, next) = (old!, draft with { Id = priceId! });
            announcements.Add(("ProductPriceChanged", w =>
            {
                w.WriteNumber("variantId", variantId);
                w.WritePropertyName("oldPrice");
                CatalogJson.WritePrice(w, previous);
                w.WritePropertyName("newPrice");
                CatalogJson.WritePrice(w, next);
                w.WriteBoolean("staged", staged);
            }));
            return null;
        }

        var prices = new List<SandboxPrice>();
        if (name == "addPrice")
        {
            if (!TryReadPrice(action, "price", out var one))
            {
                return PriceDraftError(name);
            }

            prices.Add(one);
        }
        else
        {
            if (!action.TryGetProperty("prices", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return PriceDraftError(name);
            }

            foreach (var item in list.EnumerateArray())
            {
                if (!TryReadPriceDraft(item, out var draft))
                {
                    return PriceDraftError(name);
                }

                prices.Add(draft);
            }
        }

        var sku = action.TryGetProperty("sku", out var sk) && sk.ValueKind == JsonValueKind.String ? sk.GetString() : null;
        int? id = action.TryGetProperty("variantId", out var vid) && vid.ValueKind == JsonValueKind.Number && vid.TryGetInt32(out var v) ? v : null;
        if ((sku is null) == (id is null))
        {
            return CtResults.InvalidInput($"'{name}' needs either 'variantId' or 'sku'.");
        }

        var affected = 0;
        foreach (var target in targets)
        {
            var variant = target.AllVariants.FirstOrDefault(x => id is not null ? x.Id == id : x.Sku == sku);
            if (variant is null)
            {
                return CtResults.Error(StatusCodes.Status400BadRequest, "InvalidOperation",
                    id is not null ? $"Variant with ID '{id}' not found." : $"Variant with SKU '{sku}' not found.");
            }

            affected = variant.Id;
            if (name == "setPrices")
            {
                variant.Prices.Clear();
            }

            variant.Prices.AddRange(prices);
        }

        var set = prices.ToList();
        announcements.Add((name == "addPrice" ? "ProductPriceAdded" : "ProductPricesSet", w =>
        {
            w.WriteNumber("variantId", affected);
            if (name == "addPrice")
            {
                w.WritePropertyName("price");
                CatalogJson.WritePrice(w, set[0]);
            }
            else
            {
                w.WriteStartArray("prices");
                foreach (var price in set)
                {
                    CatalogJson.WritePrice(w, price);
                }

                w.WriteEndArray();
            }

            w.WriteBoolean("staged", staged);
        }));
        return null;
    }

    private static bool TryReadPrice(JsonElement action, string property, out SandboxPrice price)
    {
        price = null!;
        return action.TryGetProperty(property, out var draft) && TryReadPriceDraft(draft, out price);
    }

    /// <summary>A PriceDraft: <c>value</c> with <c>currencyCode</c> and integer <c>centAmount</c>, optional <c>country</c>.</summary>
    private static bool TryReadPriceDraft(JsonElement draft, out SandboxPrice price)
    {
        price = null!;
        if (draft.ValueKind != JsonValueKind.Object || !draft.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("currencyCode", out var currency) || currency.ValueKind != JsonValueKind.String || currency.GetString() is not { Length: 3 } code
            || !value.TryGetProperty("centAmount", out var cents) || cents.ValueKind != JsonValueKind.Number || !cents.TryGetInt64(out var amount))
        {
            return false;
        }

        var country = draft.TryGetProperty("country", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        price = new SandboxPrice(Guid.NewGuid().ToString(), new SandboxMoney(code, amount), country);
        return true;
    }

    private static JsonBytesResult PriceDraftError(string action) => CtResults.Error(StatusCodes.Status400BadRequest, "InvalidJsonInput",
        $"Request body does not contain valid JSON: '{action}' needs a price draft with value.currencyCode (3 letters) and value.centAmount (integer).");

    private static string ActionName(JsonElement action) =>
        action.ValueKind == JsonValueKind.Object && action.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString()!
            : string.Empty;

    private static JsonBytesResult UnknownAction(string name, string resource) => CtResults.Error(StatusCodes.Status400BadRequest, "InvalidJsonInput",
        $"Request body does not contain valid JSON: '{name}' is not an update action of the sandbox's {resource} (see the emulator's documentation).");

    /// <summary>An update body: <c>version</c> (number) and <c>actions</c> (array); null when it is one, else the 400 to answer.</summary>
    private static JsonBytesResult? ReadUpdate(JsonDocument? body, out long version, out JsonElement actions)
    {
        version = 0;
        actions = default;
        if (body is null || body.RootElement.ValueKind != JsonValueKind.Object
            || !body.RootElement.TryGetProperty("version", out var versionElement) || versionElement.ValueKind != JsonValueKind.Number
            || !versionElement.TryGetInt64(out version)
            || !body.RootElement.TryGetProperty("actions", out actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return CtResults.Error(StatusCodes.Status400BadRequest, "InvalidJsonInput",
                "Request body does not contain valid JSON: an update needs 'version' (number) and 'actions' (array).");
        }

        return null;
    }

    /// <summary>The InventoryEntryQuantitySet message of a quantity change.</summary>
    private void AnnounceQuantity(SandboxInventoryEntry before, SandboxInventoryEntry after) =>
        Announce("inventory-entry", after.Id!, "InventoryEntryQuantitySet", after.Version, w =>
        {
            w.WriteNumber("oldQuantityOnStock", before.QuantityOnStock);
            w.WriteNumber("newQuantityOnStock", after.QuantityOnStock);
            w.WriteNumber("oldAvailableQuantity", before.AvailableQuantity);
            w.WriteNumber("newAvailableQuantity", after.AvailableQuantity);
            w.WriteString("sku", after.Sku);
            if (after.SupplyChannelId is not null)
            {
                CatalogJson.WriteReference(w, "supplyChannel", "channel", after.SupplyChannelId);
            }
        });
}
