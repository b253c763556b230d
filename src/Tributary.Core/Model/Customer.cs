namespace Tributary.Core.Model;

/// <summary>A customer as every source describes it and every destination needs it.</summary>
public sealed record Customer : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.Customer;

    /// <inheritdoc />
    public override string Key => SourceId;

    /// <summary>The source platform's id of the customer; the stable contact key in every destination.</summary>
    public required string SourceId { get; init; }

    /// <summary>Email as the source holds it; use <see cref="Rules.EmailRule"/> to normalise and validate.</summary>
    public string? Email { get; init; }

    /// <summary>Given name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Family name.</summary>
    public string? LastName { get; init; }

    /// <summary>Date of birth, date only.</summary>
    public DateOnly? DateOfBirth { get; init; }

    /// <summary>Phone or mobile number as given.</summary>
    public string? Phone { get; init; }

    /// <summary>
    /// Mobile number as the source gives it, for SMS; use <see cref="Rules.MobileRule"/> to normalise it to E.164. Null when
    /// the source has none (a landline in <see cref="Phone"/> is never taken as a mobile).
    /// </summary>
    public string? Mobile { get; init; }

    /// <summary>
    /// The country (ISO 3166-1 alpha-2) of the address the mobile number came from, when the source says: the region a number
    /// written without a country code is read in.
    /// </summary>
    public string? Country { get; init; }

    /// <summary>Customer number shown to the shopper, if the source has one.</summary>
    public string? CustomerNumber { get; init; }

    /// <summary>The store or market the customer belongs to.</summary>
    public string? Store { get; init; }

    /// <summary>Preferred locale (BCP 47).</summary>
    public string? Locale { get; init; }

    /// <summary>Preferred currency (ISO 4217).</summary>
    public string? Currency { get; init; }

    /// <summary>Consent per channel (<see cref="ConsentChannels"/>). A missing channel means Unknown.</summary>
    public IReadOnlyDictionary<string, Consent> Consents { get; init; } = new Dictionary<string, Consent>();

    /// <summary>Custom attributes mapped by name from the source's custom fields.</summary>
    public IReadOnlyDictionary<string, string?> Attributes { get; init; } = new Dictionary<string, string?>();

    /// <summary>When the customer was created at the source.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when the source merged this customer into another one.</summary>
    public string? MergedInto { get; init; }

    /// <summary>Consent for a channel; Unknown when the source gave none.</summary>
    public Consent ConsentFor(string channel) => Consents.TryGetValue(channel, out var c) ? c : Consent.Unknown;
}
