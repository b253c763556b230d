namespace Tributary.Sandbox.Commercetools.Query;

internal sealed partial class Scope
{
    private static readonly Lazy<Scope> OrderScope = new(BuildOrder);

    /// <summary>The Order resource (built on first use: static initialisers of partial files run in no defined order).</summary>
    public static Scope Order => OrderScope.Value;

    private static Scope BuildOrder()
    {
        static SandboxOrder O(object x) => (SandboxOrder)x;
        static SandboxLineItem L(object x) => (SandboxLineItem)x;

        var storeReference = new Scope("StoreKeyReference")
            .Add(new StringField("key", x => (string)x))
            .Add(new StringField("typeId", _ => "store"));

        var typeReference = new Scope("TypeReference")
            .Add(new StringField("id", x => O(x).CustomTypeId))
            .Add(new StringField("typeId", _ => "type"));

        var custom = new Scope("CustomFields")
            .Add(new ObjectField("type", x => O(x).CustomTypeId is null ? null : x, typeReference))
            .Add(new ObjectField("fields", x => O(x).CustomFields, Dynamic));

        var variant = new Scope("ProductVariant")
            .Add(new NumberField("id", x => L(x).VariantId))
            .Add(new StringField("sku", x => L(x).Sku));

        var lineItem = new Scope("LineItem")
            .Add(new StringField("id", x => L(x).Id))
            .Add(new StringField("productId", x => L(x).ProductId))
            .Add(new NumberField("quantity", x => L(x).Quantity))
            .Add(new ObjectField("variant", x => x, variant));

        return new Scope("Order")
            .Add(new StringField("id", x => O(x).Id))
            .Add(new NumberField("version", x => O(x).Version))
            .Add(new StringField("orderNumber", x => O(x).OrderNumber))
            .Add(new StringField("customerId", x => O(x).CustomerId))
            .Add(new StringField("customerEmail", x => O(x).CustomerEmail))
            .Add(new StringField("orderState", x => O(x).OrderState))
            .Add(new StringField("paymentState", x => O(x).PaymentState))
            .Add(new StringField("shipmentState", x => O(x).ShipmentState))
            .Add(new StringField("origin", x => O(x).Origin))
            .Add(new StringField("country", x => O(x).Country))
            .Add(new TimeField("createdAt", x => O(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => O(x).LastModifiedAt))
            .Add(new TimeField("completedAt", x => O(x).CompletedAt))
            .Add(new ObjectField("store", x => O(x).Store, storeReference))
            .Add(new ArrayField("lineItems", x => O(x).LineItems, lineItem))
            .Add(new ObjectField("custom", x => O(x).CustomTypeId is null && O(x).CustomFields.Count == 0 ? null : x, custom));
    }
}
