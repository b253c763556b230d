using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulator
{
    private const string ViewCustomers = "view_customers";
    private const string ManageCustomers = "manage_customers";

    private IResult GetProject(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey) is { } denied)
        {
            return denied;
        }

        if (projectKey != Options.ProjectKey)
        {
            return CtResults.NotFound($"The project '{projectKey}' was not found.");
        }

        return CtResults.Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("key", Options.ProjectKey);
            w.WriteString("name", Options.ProjectName);
            w.WriteNumber("version", 1);
            WriteStrings(w, "countries", ["DE", "FR", "SE", "GB", "US"]);
            WriteStrings(w, "currencies", ["EUR", "SEK", "GBP", "USD"]);
            WriteStrings(w, "languages", ["de-DE", "fr-FR", "sv-SE", "en-GB", "en-US"]);
            CustomerJson.WriteTimestamp(w, "createdAt", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
            w.WriteStartObject("messages");
            w.WriteBoolean("enabled", MessagesEnabled);
            w.WriteNumber("deleteDaysAfterCreation", 15);
            w.WriteEndObject();

            // Required by the published Project (carts, discounts, inventory), at the platform's defaults.
            w.WriteStartObject("carts");
            w.WriteNumber("deleteDaysAfterLastModification", 90);
            w.WriteBoolean("countryTaxRateFallbackEnabled", false);
            w.WriteEndObject();
            w.WriteStartObject("discounts");
            w.WriteString("discountCombinationMode", "BestDeal");
            w.WriteEndObject();
            w.WriteStartObject("inventory");
            w.WriteBoolean("releaseExpiredReservations", false);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private IResult QueryCustomers(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ViewCustomers, ManageCustomers) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.ForCustomers(http.Request.Query);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        return new JsonBytesResult(StatusCodes.Status200OK, _store.Query(query, CustomerJson.Write, TakeOutOfOrderPage));
    }

    private IResult GetCustomerById(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ViewCustomers, ManageCustomers) is { } denied)
        {
            return denied;
        }

        return _store.Read(all => Find(all, id) is { } c
            ? CtResults.Json(StatusCodes.Status200OK, w => CustomerJson.Write(w, c))
            : NotFound(id));
    }

    private async Task<IResult> CreateCustomerAsync(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ManageCustomers) is { } denied)
        {
            return denied;
        }

        using var body = await ReadJsonAsync(http);
        if (body is null)
        {
            return InvalidJson();
        }

        if (CustomerDrafts.TryCreate(body.RootElement, out var customer) is { } error)
        {
            return CtResults.Error(StatusCodes.Status400BadRequest, error.Code, error.Message);
        }

        var now = Now();
        customer.Id = Guid.NewGuid().ToString();
        customer.Version = 1;
        customer.CreatedAt = now;
        customer.LastModifiedAt = now;
        return _store.Write(all =>
        {
            if (EmailTaken(all, customer.Email, exceptId: null))
            {
                return DuplicateEmail(customer.Email);
            }

            _store.AddLocked(customer);
            return CtResults.Json(StatusCodes.Status201Created, w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("customer");
                CustomerJson.Write(w, customer);
                w.WriteEndObject();
            });
        });
    }

    private async Task<IResult> UpdateCustomerAsync(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ManageCustomers) is { } denied)
        {
            return denied;
        }

        using var body = await ReadJsonAsync(http);
        if (ReadUpdate(body, out var version, out var actions) is { } invalid)
        {
            return invalid;
        }

        return _store.Write(all =>
        {
            if (Find(all, id) is not { } current)
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
                if (CustomerDrafts.Apply(updated, action) is { } error)
                {
                    return CtResults.Error(StatusCodes.Status400BadRequest, error.Code, error.Message);
                }
            }

            if (!string.Equals(updated.Email, current.Email, StringComparison.Ordinal) && EmailTaken(all, updated.Email, current.Id))
            {
                return DuplicateEmail(updated.Email);
            }

            updated.Version = current.Version + 1;
            updated.LastModifiedAt = Now();
            all[current.Id!] = updated;
            return CtResults.Json(StatusCodes.Status200OK, w => CustomerJson.Write(w, updated));
        });
    }

    private IResult DeleteCustomerById(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ManageCustomers) is { } denied)
        {
            return denied;
        }

        if (!long.TryParse(http.Request.Query["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return CtResults.InvalidInput("Missing or invalid query parameter 'version'.");
        }

        return _store.Write(all =>
        {
            if (Find(all, id) is not { } current)
            {
                return NotFound(id);
            }

            if (current.Version != version)
            {
                return CtResults.ConcurrentModification(version, current.Version);
            }

            _store.RemoveLocked(current.Id!);
            return CtResults.Json(StatusCodes.Status200OK, w => CustomerJson.Write(w, current));
        });
    }

    /// <summary>Finds by id, or by key when the path segment is <c>key=…</c>.</summary>
    private static SandboxCustomer? Find(Dictionary<string, SandboxCustomer> all, string idOrKey)
    {
        if (idOrKey.StartsWith("key=", StringComparison.Ordinal))
        {
            var key = idOrKey[4..];
            return all.Values.FirstOrDefault(c => c.Key == key);
        }

        return all.GetValueOrDefault(idOrKey);
    }

    /// <summary>Emails are unique per project, compared without regard to case.</summary>
    private static bool EmailTaken(Dictionary<string, SandboxCustomer> all, string email, string? exceptId) =>
        all.Values.Any(c => c.Id != exceptId && string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));

    private static JsonBytesResult DuplicateEmail(string email) => CtResults.Error(
        StatusCodes.Status400BadRequest,
        "DuplicateField",
        "There is already an existing customer with the provided email.",
        w =>
        {
            w.WriteString("field", "email");
            w.WriteString("duplicateValue", email);
        });

    private static JsonBytesResult NotFound(string idOrKey) => idOrKey.StartsWith("key=", StringComparison.Ordinal)
        ? CtResults.NotFound($"The Resource with key '{idOrKey[4..]}' was not found.")
        : CtResults.NotFound($"The Resource with ID '{idOrKey}' was not found.");

    private static JsonBytesResult InvalidJson() =>
        CtResults.Error(StatusCodes.Status400BadRequest, "InvalidJsonInput", "Request body does not contain valid JSON.");

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext http)
    {
        try
        {
            return await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
