using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// Writes customers in the platform's wire shape straight to a <see cref="Utf8JsonWriter"/>: no intermediate objects, so a
/// page of 500 costs little more than its bytes.
/// </summary>
internal static class CustomerJson
{
    /// <summary>ISO-8601 UTC with milliseconds, as the platform serves timestamps.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[32];
        value.UtcDateTime.TryFormat(buffer, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        writer.WriteString(name, buffer[..written]);
    }

    public static void Write(Utf8JsonWriter w, SandboxCustomer c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteNumber("version", c.Version);
        WriteTimestamp(w, "createdAt", c.CreatedAt);
        WriteTimestamp(w, "lastModifiedAt", c.LastModifiedAt);
        OptionalString(w, "key", c.Key);
        OptionalString(w, "customerNumber", c.CustomerNumber);
        w.WriteString("email", c.Email);
        OptionalString(w, "firstName", c.FirstName);
        OptionalString(w, "lastName", c.LastName);
        OptionalString(w, "dateOfBirth", c.DateOfBirth);
        w.WriteStartArray("addresses");
        foreach (var a in c.Addresses)
        {
            WriteAddress(w, a);
        }

        w.WriteEndArray();
        OptionalString(w, "defaultBillingAddressId", c.DefaultBillingAddressId);
        OptionalString(w, "defaultShippingAddressId", c.DefaultShippingAddressId);
        w.WriteStartArray("shippingAddressIds");
        if (c.DefaultShippingAddressId is not null)
        {
            w.WriteStringValue(c.DefaultShippingAddressId);
        }

        w.WriteEndArray();
        w.WriteStartArray("billingAddressIds");
        if (c.DefaultBillingAddressId is not null)
        {
            w.WriteStringValue(c.DefaultBillingAddressId);
        }

        w.WriteEndArray();
        w.WriteBoolean("isEmailVerified", c.IsEmailVerified);
        w.WriteStartArray("customerGroupAssignments");
        w.WriteEndArray();
        OptionalString(w, "locale", c.Locale);
        w.WriteStartArray("stores");
        foreach (var store in c.Stores)
        {
            w.WriteStartObject();
            w.WriteString("typeId", "store");
            w.WriteString("key", store);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (c.CustomTypeId is not null || c.CustomFields.Count > 0)
        {
            w.WriteStartObject("custom");
            w.WriteStartObject("type");
            w.WriteString("typeId", "type");
            w.WriteString("id", c.CustomTypeId ?? string.Empty);
            w.WriteEndObject();
            w.WriteStartObject("fields");
            foreach (var (name, value) in c.CustomFields)
            {
                if (value is not null)
                {
                    w.WritePropertyName(name);
                    WriteValue(w, value);
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteString("authenticationMode", c.AuthenticationMode);
        w.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter w, SandboxAddress a)
    {
        w.WriteStartObject();
        OptionalString(w, "id", a.Id);
        OptionalString(w, "key", a.Key);
        OptionalString(w, "firstName", a.FirstName);
        OptionalString(w, "lastName", a.LastName);
        OptionalString(w, "streetName", a.StreetName);
        OptionalString(w, "streetNumber", a.StreetNumber);
        OptionalString(w, "postalCode", a.PostalCode);
        OptionalString(w, "city", a.City);
        w.WriteString("country", a.Country);
        OptionalString(w, "phone", a.Phone);
        OptionalString(w, "mobile", a.Mobile);
        OptionalString(w, "email", a.Email);
        w.WriteEndObject();
    }

    private static void OptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>Writes a custom field value of any supported runtime type.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case decimal d: w.WriteNumberValue(d); break;
            case double f: w.WriteNumberValue(f); break;
            case DateOnly d: w.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: w.WriteStringValue(t.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture)); break;
            case JsonElement e: e.WriteTo(w); break;
            case IDictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    w.WritePropertyName(k);
                    WriteValue(w, v);
                }

                w.WriteEndObject();
                break;
            case IEnumerable items:
                w.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Reads a custom field value from a request body into the emulator's runtime types.</summary>
    public static object? ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when e.TryGetInt64(out var l) => l,
        JsonValueKind.Number => e.GetDecimal(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => e.EnumerateArray().Select(ReadValue).ToList(),
        _ => e.EnumerateObject().ToDictionary(p => p.Name, p => ReadValue(p.Value)),
    };
}
