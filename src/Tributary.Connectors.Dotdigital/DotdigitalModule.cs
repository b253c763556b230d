using Tributary.Connectors.Dotdigital;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Core.Modules;

[assembly: ConnectorModule(typeof(DotdigitalModule))]

namespace Tributary.Connectors.Dotdigital;

/// <summary>Dotdigital as a destination: the <c>destinations.dotdigital</c> section and the destination.</summary>
public sealed class DotdigitalModule : IDestinationModule
{
    /// <summary>The one instance (the module holds no state).</summary>
    public static readonly DotdigitalModule Instance = new();

    /// <inheritdoc />
    public string Platform => DotdigitalDestination.DestinationName;

    /// <inheritdoc />
    public string DisplayName => "Dotdigital";

    /// <inheritdoc />
    public ConnectorRole Role => ConnectorRole.Destination;

    /// <inheritdoc />
    public string? JourneyKey => "destinations.dotdigital.programs";

    /// <inheritdoc />
    public ConnectorConfig ReadConfig(IConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var s = section;
        var mobile = s.Section("mobile");
        var config = new DotdigitalConfig
        {
            ApiUrl = s.Url("apiUrl") ?? new Uri("https://r1-api.dotdigital.com"),
            User = s.RequiredString("user", "add 'user: ${DOTDIGITAL_USER}' (the API user's email) and set DOTDIGITAL_USER in the environment"),
            Password = s.RequiredString("password", "add 'password: ${DOTDIGITAL_PASSWORD}' and set DOTDIGITAL_PASSWORD in the environment", secret: true),
            ListIds = s.List("listIds")?.Select(v => long.TryParse(v, out var id) ? id
                : throw s.Error($"'{v}' in 'destinations.dotdigital.listIds' is not a list id", "write the numeric address book ids, e.g. [12345]")).ToList() ?? [],
            ListRules = Tributary.Core.Rules.ListRules.Read(s),
            Fields = s.Map("fields"),
            Attributes = s.Map("attributes"),
            UnknownAsUnsubscribed = (s.String("unknownConsent") ?? "unsubscribed") switch
            {
                "unsubscribed" => true,
                "omit" => false,
                var other => throw s.Error($"'destinations.dotdigital.unknownConsent' must be unsubscribed or omit, not '{other}'",
                    "write 'unknownConsent: unsubscribed' (never marketable without an explicit opt-in)"),
            },
            Programs = s.Map("programs") is { } programs
                ? programs.ToDictionary(kv => s.Enum<CommerceEventType>("programs", kv.Key),
                    kv => long.TryParse(kv.Value, out var id) ? id : throw s.Error($"'{kv.Value}' is not a program id", "write the numeric program id"))
                : null,
            RequestsPerMinute = s.RequestsPerMinute("requestsPerMinute", 100_000, 35),
            ImportPollInterval = s.Duration("importPollInterval") ?? TimeSpan.FromSeconds(5),
            MediumTierPerMinute = s.Int("mediumTierPerMinute", 0, 100_000),
            HighTierPerMinute = s.Int("highTierPerMinute", 0, 100_000),
            AdaptToRateLimitHeaders = s.Bool("adaptToRateLimitHeaders") ?? true,
            MaxBatchSize = s.Int("maxBatchSize", 1, 100_000, 500),
            GuestOrders = s.String("guestOrders") is { } guests
                ? s.Enum<GuestOrderHandling>("guestOrders", guests)
                : GuestOrderHandling.ExistingContact,
            GuestListIds = s.List("guestListIds")?.Select(v => long.TryParse(v, out var id) ? id
                : throw s.Error($"'{v}' in 'destinations.dotdigital.guestListIds' is not a list id", "write the numeric address book ids, e.g. [12345]")).ToList() ?? [],
            CatalogueStock = s.Bool("catalogueStock") ?? true,
            SendSms = mobile?.Bool("send") ?? true,
            Mobile = Tributary.Core.Rules.MobileRegions.Read(mobile),
        };
        mobile?.RejectUnknownKeys();
        s.RejectUnknownKeys();
        return config;
    }

    /// <inheritdoc />
    public ConnectedDestination CreateDestination(ConnectorConfig config, DestinationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var d = (DotdigitalConfig)config;
        var options = new DotdigitalDestinationOptions
        {
            ListIds = [.. d.ListIds],
            ListRules = [.. d.ListRules],
            UnknownConsent = d.UnknownAsUnsubscribed ? UnknownConsentHandling.Unsubscribed : UnknownConsentHandling.Omit,
            RequestsPerMinute = d.RequestsPerMinute,
            MediumTierPerMinute = d.MediumTierPerMinute,
            HighTierPerMinute = d.HighTierPerMinute,
            AdaptToRateLimitHeaders = d.AdaptToRateLimitHeaders,
            MaxBatchSize = d.MaxBatchSize,
            GuestOrders = d.GuestOrders,
            GuestListIds = [.. d.GuestListIds],
            DeliverStock = d.CatalogueStock,
            SendSms = d.SendSms,
            Mobile = d.Mobile,
        };
        if (d.Fields is not null)
        {
            options.Fields = new Dictionary<string, string>(d.Fields, StringComparer.OrdinalIgnoreCase);
        }

        if (d.Attributes is not null)
        {
            options.Attributes = new Dictionary<string, string>(d.Attributes, StringComparer.Ordinal);
        }

        if (d.Programs is not null)
        {
            options.Programs = new Dictionary<CommerceEventType, long>(d.Programs);
        }

        var destination = DotdigitalDestination.Create(
            new DotdigitalClientOptions { BootstrapUrl = d.ApiUrl, ApiUser = d.User, Password = d.Password, ImportPollInterval = d.ImportPollInterval },
            options, context.Time, delivered: context.Delivered);
        // Every HTTP call is paced by the client's per-tier budget (destination.CallBudget); this one only carries 429 pauses.
        return new ConnectedDestination(destination, new RateBudget(DotdigitalDestination.DestinationName, null, context.Time));
    }
}
