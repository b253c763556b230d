using System.Text;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Core.Rules;

[assembly: ConnectorModule(typeof(EmarsysModule))]

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// SAP Emarsys as a destination: the <c>destinations.emarsys</c> section, the destination, the contact read API and feed audit for
/// reconciliation, and the catalogue feed Emarsys fetches.
/// </summary>
public sealed class EmarsysModule : IDestinationModule
{
    /// <summary>The one instance (the module holds no state).</summary>
    public static readonly EmarsysModule Instance = new();

    private static readonly IReadOnlySet<string> FeedFields = new HashSet<string>(StringComparer.Ordinal)
    {
        EmarsysCatalogFeed.Item, EmarsysCatalogFeed.Price, EmarsysCatalogFeed.Msrp, EmarsysCatalogFeed.Active,
        EmarsysCatalogFeed.Available, EmarsysCatalogFeed.Ats,
    };

    /// <inheritdoc />
    public string Platform => EmarsysDestination.DestinationName;

    /// <inheritdoc />
    public string DisplayName => "SAP Emarsys";

    /// <inheritdoc />
    public ConnectorRole Role => ConnectorRole.Destination;

    /// <inheritdoc />
    public string? JourneyKey => "destinations.emarsys.eventIds";

    /// <inheritdoc />
    public ConnectorConfig ReadConfig(IConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var s = section;
        var mobile = s.Section("mobile");
        var config = new EmarsysConfig
        {
            ApiUrl = s.Url("apiUrl") ?? new Uri("https://api.emarsys.net"),
            User = s.RequiredString("user", "add 'user: ${EMARSYS_USER}' (the API user name) and set EMARSYS_USER in the environment"),
            Secret = s.RequiredString("secret", "add 'secret: ${EMARSYS_SECRET}' and set EMARSYS_SECRET in the environment", secret: true),
            KeyFieldId = s.String("keyFieldId") ?? "9001",
            Fields = s.Map("fields"),
            Attributes = s.Map("attributes"),
            SendOptIn = s.Bool("sendOptIn") ?? true,
            MobileFieldId = mobile is null ? EmarsysDestinationOptions.DefaultMobileFieldId
                : mobile.Has("field") ? mobile.String("field") is { Length: > 0 } f ? f : null : EmarsysDestinationOptions.DefaultMobileFieldId,
            SmsOptInFieldId = mobile?.String("smsOptInField"),
            Mobile = MobileRegions.Read(mobile),
            ListRules = ListRules.Read(s),
            ExistingByEmail = s.String("existingByEmail") is { } existing
                ? s.Enum<ExistingContactHandling>("existingByEmail", existing)
                : ExistingContactHandling.Adopt,
            RequestsPerMinute = s.RequestsPerMinute("requestsPerMinute", 100_000, 1000),
            BatchSize = s.Int("batchSize", 1, 1000, 1000),
            SalesDataUrl = s.Url("salesDataUrl"),
            MerchantId = s.String("merchantId"),
            SalesDataToken = s.Has("salesDataToken") ? s.String("salesDataToken", secret: true) : null,
            EventIds = s.Map("eventIds") is { } events
                ? events.ToDictionary(kv => s.Enum<CommerceEventType>("eventIds", kv.Key), kv => kv.Value)
                : null,
            SummaryFields = s.Map("summaryFields"),
            Catalogue = s.Section("catalogue") is { } cat ? ReadCatalogue(cat) : null,
            FeedUser = s.Section("catalogue") is { } c1 ? c1.String("feedUser") ?? "emarsys" : "emarsys",
            FeedPassword = s.Section("catalogue") is { } c2 && c2.Has("feedPassword") ? c2.String("feedPassword", secret: true) : null,
        };
        mobile?.RejectUnknownKeys();
        s.RejectUnknownKeys();
        return config;
    }

    /// <inheritdoc />
    public ConnectedDestination CreateDestination(ConnectorConfig config, DestinationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var e = (EmarsysConfig)config;
        var destinationOptions = new EmarsysDestinationOptions
        {
            KeyFieldId = e.KeyFieldId,
            SendOptIn = e.SendOptIn,
            MobileFieldId = e.MobileFieldId,
            SmsOptInFieldId = e.SmsOptInFieldId,
            Mobile = e.Mobile,
            ListRules = [.. e.ListRules],
            ExistingByEmail = e.ExistingByEmail,
            RequestsPerMinute = e.RequestsPerMinute,
            MaxBatchSize = e.BatchSize,
        };
        if (e.Fields is not null)
        {
            destinationOptions.Fields = new Dictionary<string, string>(e.Fields);
        }

        if (e.Attributes is not null)
        {
            destinationOptions.Attributes = new Dictionary<string, string>(e.Attributes);
        }

        if (e.EventIds is not null)
        {
            destinationOptions.EventIds = new Dictionary<CommerceEventType, string>(e.EventIds);
        }

        if (e.Catalogue is not null)
        {
            destinationOptions.Catalogue = e.Catalogue;
        }

        if (e.SummaryFields is not null)
        {
            destinationOptions.SummaryFields = new Dictionary<string, string>(e.SummaryFields, StringComparer.OrdinalIgnoreCase);
        }

        // One budget for the account: the engine pays each batch's first call from it, the client each further call.
        var budget = new RateBudget(EmarsysDestination.DestinationName, e.RequestsPerMinute, context.Time, burst: null, realtimeReserve: context.RealtimeReserve);
        var destination = EmarsysDestination.Create(
            new EmarsysClientOptions
            {
                ApiUrl = e.ApiUrl,
                User = e.User,
                Secret = e.Secret,
                SalesDataUrl = e.SalesDataUrl ?? new Uri(EmarsysClientOptions.DefaultSalesDataUrl),
                MerchantId = e.MerchantId ?? string.Empty,
                SalesDataToken = e.SalesDataToken ?? string.Empty,
            },
            destinationOptions,
            context.Time,
            delivered: context.Delivered,
            budget: budget);
        return new ConnectedDestination(destination, budget);
    }

    /// <inheritdoc />
    public DestinationAudit? CreateAudit(ConnectorConfig config, IDestinationConnector destination)
    {
        var emarsys = (EmarsysDestination)destination;
        var keyField = ((EmarsysConfig)config).KeyFieldId;
        // Contacts can be asked back (contact/getdata); sales data and event triggers cannot, so they are compared with the
        // delivered state.
        var contacts = new DestinationReadApi(emarsys.Name, EntityKind.Customer, EmarsysClient.MaxContactsPerCall,
            async (keys, fields, ct) =>
            {
                var data = await emarsys.Client.GetContactsAsync(keyField, keys, fields, ct);
                var found = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
                foreach (var contact in data.Contacts)
                {
                    if (contact.GetValueOrDefault(keyField) is { Length: > 0 } key)
                    {
                        found[key] = contact;
                    }
                }

                return found;
            }, ConsentFields: emarsys.ConsentFields, Unread: new HashSet<string>(StringComparer.Ordinal) { EmarsysDestination.ListsField });
        if (!emarsys.CatalogueOptions.Enabled)
        {
            return new DestinationAudit([contacts], new Dictionary<EntityKind, IReadOnlyList<string>>(), null);
        }

        var catalogue = emarsys.CatalogueOptions;
        return new DestinationAudit([contacts],
            new Dictionary<EntityKind, IReadOnlyList<string>>
            {
                [EntityKind.Product] = [EmarsysCatalogFeed.Price],
                [EntityKind.Stock] = [EmarsysCatalogFeed.Ats],
            },
            new CatalogueAudit(emarsys.Name, FeedFields, rows => RenderFeed(rows, catalogue)));
    }

    /// <inheritdoc />
    public ICatalogueFeed? CreateCatalogueFeed(ConnectorConfig config, IDestinationConnector destination) =>
        destination is EmarsysDestination { CatalogueOptions.Enabled: true } emarsys && config is EmarsysConfig { FeedPassword: { Length: > 0 } password } e
            ? new EmarsysFeedFile(emarsys.CatalogueOptions, e.FeedUser, password)
            : null;

    /// <summary>Renders rows through the feed renderer Emarsys is served by, and reads the items back from the CSV.</summary>
    internal static IReadOnlyDictionary<string, FeedItem> RenderFeed(
        IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> rows, EmarsysCatalogueOptions catalogue)
    {
        using var writer = new StringWriter();
        EmarsysCatalogFeed.Render(rows, catalogue, writer);
        var lines = ParseCsv(writer.ToString());
        var items = new Dictionary<string, FeedItem>(StringComparer.Ordinal);
        if (lines.Count == 0)
        {
            return items;
        }

        var header = lines[0];
        var item = header.IndexOf(EmarsysCatalogFeed.Item);
        var price = header.IndexOf(EmarsysCatalogFeed.Price);
        var available = header.IndexOf(EmarsysCatalogFeed.Available);
        foreach (var line in lines.Skip(1).Where(l => l.Count == header.Count))
        {
            items[line[item]] = new FeedItem(line[item], line[price], string.Equals(line[available], "true", StringComparison.OrdinalIgnoreCase));
        }

        return items;
    }

    /// <summary>RFC 4180: comma separated, CRLF line ends, quoted fields with doubled quotes.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var lines = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                lines.Add(fields);
                fields = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            lines.Add(fields);
        }

        return lines;
    }

    private static EmarsysCatalogueOptions ReadCatalogue(IConfigSection s)
    {
        var options = new EmarsysCatalogueOptions
        {
            Enabled = s.Bool("enabled") ?? true,
            DefaultLocale = s.String("defaultLocale") ?? "en",
            DefaultCurrency = s.String("defaultCurrency") ?? "EUR",
            Currencies = s.List("currencies")?.ToList() ?? [],
            PriceCountry = s.String("priceCountry"),
            PriceChannel = s.String("priceChannel"),
            AvailableWithoutStock = s.Bool("availableWithoutStock") ?? false,
            MaxDropShare = s.Int("maxDropPercent", 0, 100, 5) / 100.0,
        };
        if (s.Map("locales") is { } locales)
        {
            options.Locales = new Dictionary<string, string>(locales, StringComparer.OrdinalIgnoreCase);
        }

        s.Has("feedUser");
        s.Has("feedPassword");
        s.RejectUnknownKeys();
        return options;
    }

    /// <summary>The catalogue file Emarsys fetches (<c>/feeds/emarsys-catalog.csv</c>), behind basic auth.</summary>
    private sealed class EmarsysFeedFile(EmarsysCatalogueOptions options, string user, string password) : ICatalogueFeed
    {
        public string Destination => EmarsysDestination.DestinationName;

        public string FileName => "emarsys-catalog.csv";

        public string ContentType => "text/csv; charset=utf-8";

        public string User => user;

        public string Password => password;

        public int Render(IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> rows, TextWriter writer) =>
            EmarsysCatalogFeed.Render(rows, options, writer);

        public (bool Allowed, string Reason) Guard(int previousItems, int newItems)
        {
            var decision = EmarsysCatalogFeed.Guard(previousItems, newItems, options.MaxDropShare);
            return (decision.Allowed, decision.Reason);
        }
    }
}
