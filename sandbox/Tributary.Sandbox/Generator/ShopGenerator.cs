using Bogus;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Sandbox.Generator;

/// <summary>
/// Generates a realistic shop, deterministic for a seed: customers in three stores (<c>eu</c> with de-DE, fr-FR and sv-SE,
/// <c>uk</c>, <c>us</c>), unique emails derived from names with about 1% broken the ways real data is broken, a few in odd
/// case or padded with spaces, dates of birth, phones on the billing address, and the marketing custom fields; and their
/// order histories with guests, marketplace and wholesale orders, split shipments, returns and refunds.
/// </summary>
public sealed partial class ShopGenerator
{
    /// <summary>Id of the customer custom type holding <c>marketingOptIn</c> and <c>loyaltyTier</c>.</summary>
    public const string CustomerTypeId = "3b0e6c8a-51d4-4f2e-9a7c-2d8f1e6b4c90";

    /// <summary>Share of emails made invalid.</summary>
    public const double InvalidEmailShare = 0.01;

    /// <summary>Share of valid emails written in mixed case or padded with whitespace.</summary>
    public const double UntidyEmailShare = 0.02;

    private static readonly LocaleProfile[] Profiles =
    [
        new("eu", "de-DE", "de", "DE", ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com"]),
        new("eu", "fr-FR", "fr", "FR", ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"]),
        new("eu", "sv-SE", "sv", "SE", ["gmail.com", "telia.com", "hotmail.se", "outlook.com", "bredband.net"]),
        new("uk", "en-GB", "en_GB", "GB", ["gmail.com", "btinternet.com", "yahoo.co.uk", "hotmail.co.uk", "sky.com"]),
        new("us", "en-US", "en_US", "US", ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"]),
    ];

    private readonly Randomizer _random;

    /// <summary>Orders draw from their own stream, so generating orders never changes the customers generated after them.</summary>
    private readonly Randomizer _orderRandom;
    /// <summary>Products and stock draw from their own streams too, so adding them changes neither customers nor orders.</summary>
    private readonly Randomizer _productRandom;
    private readonly Randomizer _catalogueRandom;
    private readonly Randomizer _stockRandom;
    /// <summary>Mobile numbers and SMS consent draw from their own stream, so adding them changed no other generated value.</summary>
    private readonly Randomizer _mobileRandom;
    private readonly Faker[] _fakers;
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _emailSuffixes = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>Creates a generator; the same seed gives the same shop.</summary>
    public ShopGenerator(int seed = 42)
    {
        _random = new Randomizer(seed);
        _orderRandom = new Randomizer(unchecked((seed * 7919) + 17));
        _productRandom = new Randomizer(unchecked((seed * 104_729) + 31));
        _catalogueRandom = new Randomizer(unchecked((seed * 1_299_709) + 3));
        _stockRandom = new Randomizer(unchecked((seed * 15_485_863) + 7));
        _mobileRandom = new Randomizer(unchecked((seed * 32_452_843) + 11));
        _fakers = Array.ConvertAll(Profiles, p => new Faker(p.BogusLocale) { Random = _random });
    }

    /// <summary>"Now" of the generated shop: creation dates spread over the three years before it. Fixed so output is repeatable.</summary>
    public DateTimeOffset ReferenceTime { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Generates <paramref name="count"/> more customers (later calls continue the same shop).</summary>
    public IReadOnlyList<SandboxCustomer> Customers(int count)
    {
        var list = new List<SandboxCustomer>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(NextCustomer());
        }

        return list;
    }

    private sealed record LocaleProfile(string Store, string Locale, string BogusLocale, string Country, string[] Domains);

    private SandboxCustomer NextCustomer()
    {
        var n = ++_sequence;
        var profileIndex = PickProfile();
        var profile = Profiles[profileIndex];
        var faker = _fakers[profileIndex];
        var first = faker.Name.FirstName();
        var last = faker.Name.LastName();

        var created = ReferenceTime - TimeSpan.FromSeconds(_random.Double() * 3 * 365 * 24 * 3600);
        var modified = created + ((ReferenceTime - created) * _random.Double() * 0.5);
        var address = new SandboxAddress
        {
            Id = AddressId(),
            Country = profile.Country,
            FirstName = first,
            LastName = last,
            StreetName = faker.Address.StreetName(),
            StreetNumber = faker.Address.BuildingNumber(),
            PostalCode = faker.Address.ZipCode(),
            City = faker.Address.City(),
        };
        if (_random.Bool(0.5f))
        {
            var phone = faker.Phone.PhoneNumber();
            if (_random.Bool(0.7f))
            {
                address.Phone = phone;
            }
            else
            {
                address.Mobile = phone;
            }
        }

        var customer = new SandboxCustomer
        {
            Id = NewId(),
            Version = 1 + _random.Int(0, 6),
            CustomerNumber = _random.Bool(0.7f) ? $"CN{100_000 + n}" : null,
            Email = Email(first, last, profile),
            FirstName = first,
            LastName = last,
            DateOfBirth = _random.Bool(0.8f) ? BirthDate() : null,
            Addresses = [address],
            DefaultBillingAddressId = address.Id,
            DefaultShippingAddressId = address.Id,
            IsEmailVerified = _random.Bool(0.7f),
            Locale = profile.Locale,
            Stores = [profile.Store],
            CustomTypeId = CustomerTypeId,
            CreatedAt = created,
            LastModifiedAt = modified,
        };

        var optIn = _random.Double();
        if (optIn < 0.55)
        {
            customer.CustomFields["marketingOptIn"] = true;
        }
        else if (optIn < 0.85)
        {
            customer.CustomFields["marketingOptIn"] = false;
        }

        var tier = _random.Double();
        if (tier < 0.70)
        {
            customer.CustomFields["loyaltyTier"] = tier < 0.40 ? "bronze" : tier < 0.60 ? "silver" : "gold";
        }

        AddMobile(customer, address, profile);
        return customer;
    }

    /// <summary>Share of generated mobile numbers that are not valid numbers (too short), to show the refusal in the demo.</summary>
    public const double InvalidMobileShare = 0.08;

    /// <summary>
    /// Mobile numbers as shoppers type them: in national format mostly (read in the address's country), sometimes international;
    /// a few not valid. Customers with a mobile answer the SMS question more often than not.
    /// </summary>
    private void AddMobile(SandboxCustomer customer, SandboxAddress address, LocaleProfile profile)
    {
        if (address.Mobile is null && (address.Phone is null || !_mobileRandom.Bool(0.4f)))
        {
            return;
        }

        var digits = _mobileRandom.ReplaceNumbers("########");
        address.Mobile = _mobileRandom.Double() < InvalidMobileShare
            ? digits[..4]
            : (profile.Country, _mobileRandom.Bool(0.25f)) switch
            {
                ("DE", false) => $"0151 {digits}",
                ("DE", true) => $"+49 151 {digits}",
                ("FR", false) => $"06 {digits[..2]} {digits[2..4]} {digits[4..6]} {digits[6..]}",
                ("FR", true) => $"+33 6 {digits}",
                ("SE", false) => $"070-{digits[..7]}",
                ("SE", true) => $"+46 70 {digits[..7]}",
                ("GB", false) => $"07911 {digits[..6]}",
                ("GB", true) => $"+44 7911 {digits[..6]}",
                (_, false) => $"(415) 2{digits[..2]}-{digits[2..6]}",
                _ => $"+1 415 2{digits[..2]} {digits[2..6]}",
            };
        var sms = _mobileRandom.Double();
        if (sms < 0.45)
        {
            customer.CustomFields["smsOptIn"] = true;
        }
        else if (sms < 0.70)
        {
            customer.CustomFields["smsOptIn"] = false;
        }
    }

    /// <summary>Half the customers shop in the EU store (de 50%, fr 30%, sv 20%), a quarter each in the UK and US stores.</summary>
    private int PickProfile()
    {
        var roll = _random.Double();
        return roll switch
        {
            < 0.25 => 0,
            < 0.40 => 1,
            < 0.50 => 2,
            < 0.75 => 3,
            _ => 4,
        };
    }

    private string BirthDate()
    {
        var days = _random.Int(18 * 365, 80 * 365);
        return DateOnly.FromDateTime(ReferenceTime.UtcDateTime).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private string NewId()
    {
        var bytes = _random.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private string AddressId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        Span<char> id = stackalloc char[8];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[_random.Int(0, alphabet.Length - 1)];
        }

        return new string(id);
    }
}
