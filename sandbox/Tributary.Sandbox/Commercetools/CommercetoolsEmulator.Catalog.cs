using Microsoft.AspNetCore.Http;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

/// <summary>Product projections, inventory and channels: the catalogue side of the emulated project.</summary>
public sealed partial class CommercetoolsEmulator
{
    private const string ViewPublishedProducts = "view_published_products";
    private const string ViewProducts = "view_products";
    private const string ManageProducts = "manage_products";
    private const string ViewChannels = "view_channels";
    private const string ManageChannels = "manage_channels";

    private readonly ResourceStore<SandboxProduct, ProductShape> _products = new();
    private readonly ResourceStore<SandboxInventoryEntry, InventoryShape> _inventory = new();
    private readonly ResourceStore<SandboxChannel, ChannelShape> _channels = new();

    /// <summary>
    /// <c>GET /product-projections</c>: the current (published) view by default, <c>staged=true</c> for the staged view (which
    /// needs <c>view_products</c>); <c>priceCurrency</c> with optional <c>priceCountry</c> and <c>priceChannel</c> adds the
    /// selected <c>price</c> to each variant.
    /// </summary>
    private IResult QueryProducts(HttpContext http, string projectKey)
    {
        if (AuthorizeProducts(http, projectKey, out var staged, out var selection) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.ForProducts(http.Request.Query);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        if (!staged)
        {
            query = query.Restrict(x => ((SandboxProduct)x).Published);
        }

        return new JsonBytesResult(StatusCodes.Status200OK, _products.Query(query, (w, p) => CatalogJson.WriteProduct(w, p, selection, staged)));
    }

    /// <summary><c>GET /product-projections/{id}</c>: 404 for an unpublished product in the current view.</summary>
    private IResult GetProductById(HttpContext http, string projectKey, string id)
    {
        if (AuthorizeProducts(http, projectKey, out var staged, out var selection) is { } denied)
        {
            return denied;
        }

        return _products.Read(all =>
        {
            var product = id.StartsWith("key=", StringComparison.Ordinal)
                ? all.Values.FirstOrDefault(p => p.Key == id[4..])
                : all.GetValueOrDefault(id);
            return product is not null && (staged || product.Published)
                ? CtResults.Json(StatusCodes.Status200OK, w => CatalogJson.WriteProduct(w, product, selection, staged), 4096)
                : NotFound(id);
        });
    }

    private IResult? AuthorizeProducts(HttpContext http, string projectKey, out bool staged, out PriceSelection? selection)
    {
        selection = null;
        var query = http.Request.Query;
        staged = string.Equals(query["staged"], "true", StringComparison.Ordinal);
        if (query["staged"].ToString() is { Length: > 0 } s && s is not ("true" or "false"))
        {
            return CtResults.InvalidInput($"Malformed parameter: staged: must be true or false, was '{s}'.");
        }

        // The staged view shows unpublished work, so the published-only scope does not reach it.
        var denied = staged
            ? Authorize(http, projectKey, ViewProducts, ManageProducts)
            : Authorize(http, projectKey, ViewPublishedProducts, ViewProducts, ManageProducts);
        if (denied is not null)
        {
            return denied;
        }

        var currency = query["priceCurrency"].ToString();
        var country = query["priceCountry"].ToString();
        var channel = query["priceChannel"].ToString();
        if (currency.Length == 0)
        {
            return country.Length > 0 || channel.Length > 0
                ? CtResults.InvalidInput("Malformed parameter: priceCurrency: price selection needs priceCurrency.")
                : null;
        }

        selection = new PriceSelection(currency, country.Length == 0 ? null : country, channel.Length == 0 ? null : channel);
        return null;
    }

    private IResult QueryInventory(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ViewProducts, ManageProducts) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.ForInventory(http.Request.Query);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        return new JsonBytesResult(StatusCodes.Status200OK, _inventory.Query(query, CatalogJson.WriteInventory, TakeOutOfOrderPage));
    }

    private IResult QueryChannels(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ViewChannels, ManageChannels, ViewProducts, ManageProducts) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.ForChannels(http.Request.Query);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        return new JsonBytesResult(StatusCodes.Status200OK, _channels.Query(query, CatalogJson.WriteChannel));
    }
}
