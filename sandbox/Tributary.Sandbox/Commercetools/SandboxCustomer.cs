namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// A customer as the emulator stores it, mirroring the commercetools Customer resource. Mutable so tests and the demo can seed
/// and change records the way a merchant would in the Merchant Center.
/// </summary>
public sealed class SandboxCustomer
{
    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version; 1 on create, bumped by every write.</summary>
    public long Version { get; set; }

    /// <summary>User-defined unique key.</summary>
    public string? Key { get; set; }

    /// <summary>User-defined unique customer number.</summary>
    public string? CustomerNumber { get; set; }

    /// <summary>Email as entered (the platform does not normalise it).</summary>
    public string Email { get; set; } = string.Empty;

    /// <summary>Given name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Family name.</summary>
    public string? LastName { get; set; }

    /// <summary>
    /// Date of birth as served on the wire (<c>YYYY-MM-DD</c>). Held as text so tests can seed a malformed value and see how
    /// a reader copes with it.
    /// </summary>
    public string? DateOfBirth { get; set; }

    /// <summary>Addresses; the default billing address is found by <see cref="DefaultBillingAddressId"/>.</summary>
    public List<SandboxAddress> Addresses { get; set; } = [];

    /// <summary>Id of the default billing address.</summary>
    public string? DefaultBillingAddressId { get; set; }

    /// <summary>Id of the default shipping address.</summary>
    public string? DefaultShippingAddressId { get; set; }

    /// <summary>Whether the email was verified.</summary>
    public bool IsEmailVerified { get; set; }

    /// <summary>Preferred locale (BCP 47).</summary>
    public string? Locale { get; set; }

    /// <summary>Keys of the stores the customer belongs to; empty for a global customer.</summary>
    public List<string> Stores { get; set; } = [];

    /// <summary>Id of the custom type; the <c>custom</c> object is served when this is set or fields exist.</summary>
    public string? CustomTypeId { get; set; }

    /// <summary>Custom field values: bool, string, numbers, or nested lists and dictionaries.</summary>
    public Dictionary<string, object?> CustomFields { get; set; } = [];

    /// <summary><c>Password</c> or <c>ExternalAuth</c>.</summary>
    public string AuthenticationMode { get; set; } = "Password";

    /// <summary>Creation time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>A deep copy.</summary>
    public SandboxCustomer Clone() => new()
    {
        Id = Id,
        Version = Version,
        Key = Key,
        CustomerNumber = CustomerNumber,
        Email = Email,
        FirstName = FirstName,
        LastName = LastName,
        DateOfBirth = DateOfBirth,
        Addresses = Addresses.ConvertAll(a => a.Clone()),
        DefaultBillingAddressId = DefaultBillingAddressId,
        DefaultShippingAddressId = DefaultShippingAddressId,
        IsEmailVerified = IsEmailVerified,
        Locale = Locale,
        Stores = [.. Stores],
        CustomTypeId = CustomTypeId,
        CustomFields = new Dictionary<string, object?>(CustomFields),
        AuthenticationMode = AuthenticationMode,
        CreatedAt = CreatedAt,
        LastModifiedAt = LastModifiedAt,
    };
}

/// <summary>A commercetools Address (the fields the emulator serves).</summary>
public sealed class SandboxAddress
{
    /// <summary>Address id, unique within the customer.</summary>
    public string? Id { get; set; }

    /// <summary>User-defined key.</summary>
    public string? Key { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code (required by the platform).</summary>
    public string Country { get; set; } = "DE";

    /// <summary>Given name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Family name.</summary>
    public string? LastName { get; set; }

    /// <summary>Street name.</summary>
    public string? StreetName { get; set; }

    /// <summary>Street number.</summary>
    public string? StreetNumber { get; set; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; set; }

    /// <summary>Mobile number.</summary>
    public string? Mobile { get; set; }

    /// <summary>Email on the address.</summary>
    public string? Email { get; set; }

    /// <summary>A copy.</summary>
    public SandboxAddress Clone() => (SandboxAddress)MemberwiseClone();
}
