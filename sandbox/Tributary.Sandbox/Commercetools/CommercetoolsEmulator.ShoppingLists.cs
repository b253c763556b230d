using Microsoft.AspNetCore.Http;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

/// <summary>Shopping lists: the wishlists and "notify me" lists back-in-stock alerts go to.</summary>
public sealed partial class CommercetoolsEmulator
{
    private const string ViewShoppingLists = "view_shopping_lists";
    private const string ManageShoppingLists = "manage_shopping_lists";

    private readonly ResourceStore<SandboxShoppingList, ShoppingListShape> _shoppingLists = new();

    /// <summary>Shopping lists held.</summary>
    public int ShoppingListCount => _shoppingLists.Count;

    /// <summary>Adds (or replaces) shopping lists, assigning ids, versions and timestamps when missing.</summary>
    public void AddShoppingLists(IEnumerable<SandboxShoppingList> lists) => _shoppingLists.Put(lists.Select(l =>
    {
        var copy = l.Clone();
        copy.Id ??= Guid.NewGuid().ToString();
        Stamp(copy.Version, copy.CreatedAt, copy.LastModifiedAt, out var version, out var created, out var modified);
        (copy.Version, copy.CreatedAt, copy.LastModifiedAt) = (version, created, modified);
        l.Id = copy.Id;
        return copy;
    }).ToList());

    private IResult QueryShoppingLists(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ViewShoppingLists, ManageShoppingLists) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.Parse(http.Request.Query, Scope.ShoppingList, Scope.ShoppingListSortFields);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        // As the platform: a line's variant is a reference-like field written only when lineItems[*].variant is expanded.
        var variants = query.Expand.Any(e => e.Replace(" ", string.Empty, StringComparison.Ordinal) == ShoppingListJson.VariantExpansion);
        return new JsonBytesResult(StatusCodes.Status200OK, _shoppingLists.Query(query, (w, list) => ShoppingListJson.Write(w, list, variants,
            id => _products.Read(products => products.GetValueOrDefault(id)))));
    }
}
