namespace Tributary.Sandbox.Commercetools.Query;

/// <summary>A queryable field of one object type.</summary>
internal abstract record FieldDef(string Name);

internal sealed record StringField(string Name, Func<object, string?> Get) : FieldDef(Name);

internal sealed record NumberField(string Name, Func<object, decimal?> Get) : FieldDef(Name);

internal sealed record BoolField(string Name, Func<object, bool?> Get) : FieldDef(Name);

internal sealed record TimeField(string Name, Func<object, DateTimeOffset?> Get) : FieldDef(Name);

internal sealed record ObjectField(string Name, Func<object, object?> Get, Scope Scope) : FieldDef(Name);

internal sealed record ArrayField(string Name, Func<object, IEnumerable<object>> Get, Scope Scope) : FieldDef(Name);

/// <summary>A field of a free-form map (custom fields): its type is only known per record.</summary>
internal sealed record DynamicField(string Name, Func<object, object?> Get) : FieldDef(Name);

/// <summary>The fields a predicate may name on one object type.</summary>
internal sealed partial class Scope
{
    private readonly string _typeName;
    private readonly Dictionary<string, FieldDef> _fields = new(StringComparer.Ordinal);
    private readonly bool _dynamic;

    private Scope(string typeName, bool dynamic = false)
    {
        _typeName = typeName;
        _dynamic = dynamic;
    }

    /// <summary>Custom field maps: any name, values typed at run time.</summary>
    public static Scope Dynamic { get; } = new("CustomFields", dynamic: true);

    /// <summary>The Customer resource.</summary>
    public static Scope Customer { get; } = BuildCustomer();

    public FieldDef Resolve(string name)
    {
        if (_fields.TryGetValue(name, out var field))
        {
            return field;
        }

        if (_dynamic)
        {
            return new DynamicField(name, x => ((IDictionary<string, object?>)x).TryGetValue(name, out var v) ? v : null);
        }

        throw new PredicateException($"Malformed parameter: where: the field '{name}' does not exist on {_typeName}.");
    }

    private Scope Add(FieldDef field)
    {
        _fields[field.Name] = field;
        return this;
    }

    private static Scope BuildCustomer()
    {
        static SandboxCustomer C(object x) => (SandboxCustomer)x;
        static SandboxAddress A(object x) => (SandboxAddress)x;

        var keyReference = new Scope("StoreKeyReference")
            .Add(new StringField("key", x => (string)x))
            .Add(new StringField("typeId", _ => "store"));

        var typeReference = new Scope("TypeReference")
            .Add(new StringField("id", x => C(x).CustomTypeId))
            .Add(new StringField("typeId", _ => "type"));

        var custom = new Scope("CustomFields")
            .Add(new ObjectField("type", x => C(x).CustomTypeId is null ? null : x, typeReference))
            .Add(new ObjectField("fields", x => C(x).CustomFields, Dynamic));

        var address = new Scope("Address")
            .Add(new StringField("id", x => A(x).Id))
            .Add(new StringField("key", x => A(x).Key))
            .Add(new StringField("country", x => A(x).Country))
            .Add(new StringField("firstName", x => A(x).FirstName))
            .Add(new StringField("lastName", x => A(x).LastName))
            .Add(new StringField("streetName", x => A(x).StreetName))
            .Add(new StringField("streetNumber", x => A(x).StreetNumber))
            .Add(new StringField("postalCode", x => A(x).PostalCode))
            .Add(new StringField("city", x => A(x).City))
            .Add(new StringField("phone", x => A(x).Phone))
            .Add(new StringField("mobile", x => A(x).Mobile))
            .Add(new StringField("email", x => A(x).Email));

        return new Scope("Customer")
            .Add(new StringField("id", x => C(x).Id))
            .Add(new NumberField("version", x => C(x).Version))
            .Add(new StringField("key", x => C(x).Key))
            .Add(new StringField("customerNumber", x => C(x).CustomerNumber))
            .Add(new StringField("email", x => C(x).Email))
            .Add(new StringField("firstName", x => C(x).FirstName))
            .Add(new StringField("lastName", x => C(x).LastName))
            .Add(new StringField("dateOfBirth", x => C(x).DateOfBirth))
            .Add(new StringField("locale", x => C(x).Locale))
            .Add(new StringField("authenticationMode", x => C(x).AuthenticationMode))
            .Add(new StringField("defaultBillingAddressId", x => C(x).DefaultBillingAddressId))
            .Add(new StringField("defaultShippingAddressId", x => C(x).DefaultShippingAddressId))
            .Add(new BoolField("isEmailVerified", x => C(x).IsEmailVerified))
            .Add(new TimeField("createdAt", x => C(x).CreatedAt))
            .Add(new TimeField("lastModifiedAt", x => C(x).LastModifiedAt))
            .Add(new ArrayField("stores", x => C(x).Stores, keyReference))
            .Add(new ArrayField("addresses", x => C(x).Addresses, address))
            .Add(new ObjectField("custom", x => C(x).CustomTypeId is null && C(x).CustomFields.Count == 0 ? null : x, custom));
    }
}
