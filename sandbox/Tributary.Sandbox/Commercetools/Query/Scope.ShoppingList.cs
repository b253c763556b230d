namespace Tributary.Sandbox.Commercetools.Query;

internal sealed partial class Scope
{
    private static readonly Lazy<Scope> ShoppingListScope = new(BuildShoppingList);

    /// <summary>The ShoppingList resource.</summary>
    public static Scope ShoppingList => ShoppingListScope.Value;

    /// <summary>Fields a shopping lists query may sort on.</summary>
    public static readonly IReadOnlySet<string> ShoppingListSortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "key", "lastModifiedAt", "createdAt",
    };

    private static Scope BuildShoppingList()
    {
        static SandboxShoppingList L(object x) => (SandboxShoppingList)x;
        static SandboxShoppingListLine Line(object x) => (SandboxShoppingListLine)x;

        var customerReference = new Scope("CustomerReference")
            .Add(new StringField("id", x => (string)x))
            .Add(new StringField("typeId", _ => "customer"));
        var line = new Scope("ShoppingListLineItem")
            .Add(new StringField("id", x => Line(x).Id))
            .Add(new StringField("productId", x => Line(x).ProductId))
            .Add(new NumberField("variantId", x => Line(x).VariantId));

        return new Scope("ShoppingList")
            .Add(new StringField("id", x => L(x).Id))
            .Add(new NumberField("version", x => L(x).Version))
            .Add(new StringField("key", x => L(x).Key))
            .Add(new ObjectField("name", x => L(x).Name.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal), Dynamic))
            .Add(new ObjectField("customer", x => L(x).CustomerId, customerReference))
            .Add(new ArrayField("lineItems", x => L(x).LineItems, line))
            .Add(new TimeField("createdAt", x => L(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => L(x).LastModifiedAt));
    }
}
