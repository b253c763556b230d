using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>An error for the ErrorResponse envelope.</summary>
internal sealed record DraftError(string Code, string Message);

/// <summary>Reads CustomerDraft bodies and applies the supported update actions.</summary>
internal static class CustomerDrafts
{
    public static DraftError? TryCreate(JsonElement body, out SandboxCustomer customer)
    {
        customer = new SandboxCustomer();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new DraftError("InvalidJsonInput", "Request body does not contain valid JSON.");
        }

        if (Text(body, "email") is not { Length: > 0 } email)
        {
            return new DraftError("RequiredField", "A value is required for field email.");
        }

        customer.Email = email;
        customer.FirstName = Text(body, "firstName");
        customer.LastName = Text(body, "lastName");
        customer.DateOfBirth = Text(body, "dateOfBirth");
        customer.CustomerNumber = Text(body, "customerNumber");
        customer.Key = Text(body, "key");
        customer.Locale = Text(body, "locale");
        customer.IsEmailVerified = body.TryGetProperty("isEmailVerified", out var verified) && verified.ValueKind == JsonValueKind.True;
        customer.AuthenticationMode = Text(body, "authenticationMode") ?? "Password";

        if (body.TryGetProperty("addresses", out var addresses) && addresses.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in addresses.EnumerateArray())
            {
                if (Text(a, "country") is not { Length: 2 } country)
                {
                    return new DraftError("InvalidField", "Every address needs a two-letter 'country'.");
                }

                customer.Addresses.Add(new SandboxAddress
                {
                    Id = Text(a, "id") ?? NewAddressId(),
                    Key = Text(a, "key"),
                    Country = country,
                    FirstName = Text(a, "firstName"),
                    LastName = Text(a, "lastName"),
                    StreetName = Text(a, "streetName"),
                    StreetNumber = Text(a, "streetNumber"),
                    PostalCode = Text(a, "postalCode"),
                    City = Text(a, "city"),
                    Phone = Text(a, "phone"),
                    Mobile = Text(a, "mobile"),
                    Email = Text(a, "email"),
                });
            }
        }

        // In a draft the default addresses are indexes into the addresses array.
        customer.DefaultBillingAddressId = AddressAt(customer, body, "defaultBillingAddress");
        customer.DefaultShippingAddressId = AddressAt(customer, body, "defaultShippingAddress");

        if (body.TryGetProperty("stores", out var stores) && stores.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in stores.EnumerateArray())
            {
                if (Text(s, "key") is { Length: > 0 } key)
                {
                    customer.Stores.Add(key);
                }
            }
        }

        if (body.TryGetProperty("custom", out var custom) && custom.ValueKind == JsonValueKind.Object)
        {
            customer.CustomTypeId = TypeId(custom);
            if (custom.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var f in fields.EnumerateObject())
                {
                    customer.CustomFields[f.Name] = CustomerJson.ReadValue(f.Value);
                }
            }
        }

        return null;
    }

    public static DraftError? Apply(SandboxCustomer c, JsonElement action)
    {
        switch (Text(action, "action"))
        {
            case "changeEmail":
                if (Text(action, "email") is not { Length: > 0 } email)
                {
                    return new DraftError("RequiredField", "A value is required for field email.");
                }

                c.Email = email;
                return null;
            case "setFirstName":
                c.FirstName = Text(action, "firstName");
                return null;
            case "setLastName":
                c.LastName = Text(action, "lastName");
                return null;
            case "setDateOfBirth":
                c.DateOfBirth = Text(action, "dateOfBirth");
                return null;
            case "setLocale":
                c.Locale = Text(action, "locale");
                return null;
            case "setCustomerNumber":
                c.CustomerNumber = Text(action, "customerNumber");
                return null;
            case "setCustomField":
                if (Text(action, "name") is not { Length: > 0 } name)
                {
                    return new DraftError("RequiredField", "A value is required for field name.");
                }

                if (action.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    c.CustomFields[name] = CustomerJson.ReadValue(value);
                }
                else
                {
                    c.CustomFields.Remove(name);
                }

                return null;
            case var other:
                return new DraftError("InvalidInput", $"Unknown or unsupported update action '{other}'.");
        }
    }

    /// <summary>A stable id for a type given by key (the emulator keeps no Type resources).</summary>
    public static string TypeIdForKey(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    public static string NewAddressId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(6)).Replace('+', 'x').Replace('/', 'y');

    private static string? TypeId(JsonElement custom)
    {
        if (!custom.TryGetProperty("type", out var type))
        {
            return null;
        }

        return Text(type, "id") ?? (Text(type, "key") is { } key ? TypeIdForKey(key) : null);
    }

    private static string? AddressAt(SandboxCustomer c, JsonElement body, string name) =>
        body.TryGetProperty(name, out var index) && index.TryGetInt32(out var i) && i >= 0 && i < c.Addresses.Count
            ? c.Addresses[i].Id
            : null;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
