using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysDestination
{
    /// <summary>Opt-in value for an explicit opt-in.</summary>
    public const string OptInTrue = "1";

    /// <summary>Opt-in value for an explicit opt-out (this is how Emarsys unsubscribes).</summary>
    public const string OptInFalse = "2";

    /// <summary>Opt-in value for no answer: empty, not marketable.</summary>
    public const string OptInUnknown = "";

    private static readonly string[] ProjectableFields =
        ["firstName", "lastName", "email", "dateOfBirth", "phone", "customerNumber", "store", "locale", "currency"];

    /// <inheritdoc />
    public Projection Project(CanonicalRecord record) => record switch
    {
        Customer customer => ProjectCustomer(customer),
        Order order => ProjectOrder(order),
        CommerceEvent commerceEvent => ProjectEvent(commerceEvent),
        CustomerSummary summary => ProjectSummary(summary),
        Product product when _options.Catalogue.Enabled => ProjectProduct(product),
        StockLevel stock when _options.Catalogue.Enabled => ProjectStock(stock),
        _ => Projection.Quarantine($"the Emarsys destination does not take {record.Kind} records"),
    };

    private Projection ProjectCustomer(Customer customer)
    {
        if (!EmailRule.TryNormalize(customer.Email, out var email, out var reason))
        {
            return Projection.Quarantine(reason ?? "invalid email address");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [_options.KeyFieldId] = customer.SourceId };
        foreach (var (name, fieldId) in _options.Fields)
        {
            fields[fieldId] = CanonicalValue(customer, name, email);
        }

        foreach (var (attribute, fieldId) in _options.Attributes)
        {
            fields[fieldId] = customer.Attributes.TryGetValue(attribute, out var value) ? value : null;
        }

        if (_options.SendOptIn)
        {
            fields[_options.OptInFieldId] = OptInValue(customer.ConsentFor(ConsentChannels.Email).Status);
        }

        return new Projection(fields);
    }

    /// <summary>Emarsys opt-in for a consent state. Unknown is never an opt-in.</summary>
    public static string OptInValue(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => OptInTrue,
        ConsentStatus.Unsubscribed => OptInFalse,
        _ => OptInUnknown,
    };

    private static string? CanonicalValue(Customer customer, string name, string email) => name.ToLowerInvariant() switch
    {
        "firstname" => Blank(customer.FirstName),
        "lastname" => Blank(customer.LastName),
        "email" => email,
        // Emarsys dates are YYYY-MM-DD; anything else is rejected with 2007.
        "dateofbirth" => customer.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "phone" => Blank(customer.Phone),
        "customernumber" => Blank(customer.CustomerNumber),
        "store" => Blank(customer.Store),
        "locale" => Blank(customer.Locale),
        "currency" => Blank(customer.Currency),
        _ => null,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
