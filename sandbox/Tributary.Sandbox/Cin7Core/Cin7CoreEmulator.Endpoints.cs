using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tributary.Sandbox.Cin7Core;

public sealed partial class Cin7CoreEmulator
{
    private void MapEndpoints(RouteGroupBuilder group)
    {
        // Routing matches paths ignoring case, as Cin7 Core does (/SaleList and /saleList both appear in its material).
        group.MapGet("/me", () => Cin7CoreResults.Json(new Dictionary<string, object?>
        {
            ["Company"] = Options.Company,
            ["Currency"] = Options.Currency,
            ["TimeZone"] = "UTC",
        }));
        group.MapGet("/customer", (HttpRequest r) => Paged(r, "CustomerList", ListCustomers(r)));
        group.MapGet("/saleList", (HttpRequest r) => Paged(r, "SaleList", ListSales(r)));
        group.MapGet("/sale", (HttpRequest r) => SaleDetail(r));
        group.MapGet("/product", (HttpRequest r) => Paged(r, "Products", ListProducts(r)));
        group.MapGet("/ref/productavailability", (HttpRequest r) => Paged(r, "ProductAvailabilityList", ListAvailability(r)));
        // The help centre writes /ProductAvailability; whether the real API serves both is unconfirmed, so the emulator does.
        group.MapGet("/ProductAvailability", (HttpRequest r) => Paged(r, "ProductAvailabilityList", ListAvailability(r)));
        group.MapGet("/ref/location", (HttpRequest r) => Paged(r, "LocationList", Locations.Select(l => (object)new Dictionary<string, object?>
        {
            ["ID"] = l.Id, ["Name"] = l.Name, ["IsDefault"] = l.IsDefault, ["IsDeprecated"] = false,
        }).ToList()));
        MapWebhookEndpoints(group);
        group.MapFallback(() => Cin7CoreResults.Error(StatusCodes.Status404NotFound, "Unknown endpoint."));
    }

    private IResult Paged(HttpRequest request, string listName, IReadOnlyList<object> all)
    {
        var page = Int(request, "Page") ?? 1;
        var limit = Int(request, "Limit") ?? Options.DefaultLimit;
        if (page < 1 || limit < 1 || limit > Options.MaxLimit)
        {
            return Cin7CoreResults.Error(StatusCodes.Status400BadRequest,
                $"Page must be 1 or more and Limit between 1 and {Options.MaxLimit}.");
        }

        return Cin7CoreResults.Json(new Dictionary<string, object>
        {
            ["Total"] = all.Count,
            ["Page"] = page,
            [listName] = all.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * limit)).Take(limit).ToList(),
        });
    }

    /// <summary>Customers by name (Cin7 Core's own list order is unpublished; it is not the id order).</summary>
    private List<object> ListCustomers(HttpRequest r)
    {
        var since = QueryTime(r, "ModifiedSince");
        var id = Guid.TryParse(r.Query["ID"], out var g) ? g : (Guid?)null;
        var includeDeprecated = Flag(r, "IncludeDeprecated");
        lock (_gate)
        {
            return _customers.Values
                .Where(c => (id is null || c.Id == id) && (since is null || c.LastModifiedOn >= since)
                            && (includeDeprecated || !string.Equals(c.Status, "Deprecated", StringComparison.OrdinalIgnoreCase)))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id)
                .Select(CustomerJson).ToList();
        }
    }

    private List<object> ListSales(HttpRequest r)
    {
        var since = QueryTime(r, "UpdatedSince");
        var created = QueryTime(r, "CreatedSince");
        lock (_gate)
        {
            return _sales.Values
                .Where(s => (since is null || s.LastModifiedOn >= since) && (created is null || s.OrderDate >= created))
                .OrderBy(s => s.OrderNumber, StringComparer.Ordinal)
                .Select(SaleRowJson).ToList();
        }
    }

    private IResult SaleDetail(HttpRequest r)
    {
        if (!Guid.TryParse(r.Query["ID"], out var id))
        {
            return Cin7CoreResults.Error(StatusCodes.Status400BadRequest, "ID is required and must be a GUID.");
        }

        lock (_gate)
        {
            return _sales.TryGetValue(id, out var sale)
                ? Cin7CoreResults.Json(SaleJson(sale))
                : Cin7CoreResults.Error(StatusCodes.Status404NotFound, $"Sale with ID = {id} not found.");
        }
    }

    private List<object> ListProducts(HttpRequest r)
    {
        var since = QueryTime(r, "ModifiedSince");
        var sku = r.Query["Sku"].ToString();
        var includeDeprecated = Flag(r, "IncludeDeprecated");
        var attachments = Flag(r, "IncludeAttachments");
        lock (_gate)
        {
            // The Sku filter matches part of a SKU here (exact or partial matching is unconfirmed), so clients must pick the exact one.
            return _products.Values
                .Where(p => (since is null || p.LastModifiedOn >= since) && (sku.Length == 0 || p.Sku.Contains(sku, StringComparison.OrdinalIgnoreCase))
                            && (includeDeprecated || !string.Equals(p.Status, "Deprecated", StringComparison.OrdinalIgnoreCase)))
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id)
                .Select(p => ProductJson(p, attachments)).ToList();
        }
    }

    /// <summary>Only rows with something on hand, allocated or on order are listed, as Cin7 Core does.</summary>
    private List<object> ListAvailability(HttpRequest r)
    {
        var sku = r.Query["Sku"].ToString();
        var location = r.Query["Location"].ToString();
        lock (_gate)
        {
            var ids = _products.Values.GroupBy(p => p.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            return _stock.Values
                .Where(s => (s.OnHand != 0 || s.Allocated != 0 || s.OnOrder != 0)
                            && (sku.Length == 0 || s.Sku.Contains(sku, StringComparison.OrdinalIgnoreCase))
                            && (location.Length == 0 || string.Equals(s.Location, location, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(s => s.Sku, StringComparer.Ordinal).ThenBy(s => s.Location, StringComparer.Ordinal)
                .Select(s => (object)new Dictionary<string, object?>
                {
                    ["ID"] = ids.GetValueOrDefault(s.Sku)?.Id,
                    ["SKU"] = s.Sku,
                    ["Name"] = ids.GetValueOrDefault(s.Sku)?.Name,
                    ["Barcode"] = null,
                    ["Location"] = s.Location,
                    ["Bin"] = s.Bin,
                    ["Batch"] = null,
                    ["ExpiryDate"] = null,
                    ["OnHand"] = s.OnHand,
                    ["Allocated"] = s.Allocated,
                    ["Available"] = s.OnHand - s.Allocated,
                    ["OnOrder"] = s.OnOrder,
                    ["InTransit"] = 0,
                    ["StockOnHand"] = s.OnHand * 10,
                }).ToList();
        }
    }

    private static int? Int(HttpRequest r, string name) =>
        int.TryParse(r.Query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool Flag(HttpRequest r, string name) => bool.TryParse(r.Query[name], out var v) && v;

    private static DateTimeOffset? QueryTime(HttpRequest r, string name) =>
        DateTimeOffset.TryParse(r.Query[name], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
