using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Tributary.Connectors.Centra.Mapping;
using Tributary.Connectors.Http;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra;

/// <summary>
/// Reads customers, orders, products (one record per size/SKU) and stock from Centra's Integration API in keyset pages:
/// customers by id, orders by number, sizes by SKU, each page asking for keys greater than the last one (never a page
/// number, so inserts and deletes during a read cannot skip or repeat records).
/// </summary>
public sealed partial class CentraSource : ISourceConnector, IDisposable
{
    /// <summary>The source name used in state keys and logs.</summary>
    public const string SourceName = "centra";

    private static readonly IReadOnlySet<EntityKind> Supported =
        new HashSet<EntityKind> { EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock };

    private readonly CentraSourceOptions _options;
    private readonly bool _ownsClient;

    /// <summary>Creates the source over a client.</summary>
    public CentraSource(CentraClient client, CentraSourceOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    private CentraSource(CentraClient client, CentraSourceOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        Client = client;
        _options = options;
        _ownsClient = ownsClient;
    }

    /// <summary>The HTTP client.</summary>
    public CentraClient Client { get; }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlySet<EntityKind> Entities => Supported;

    /// <summary>Creates a source with its own HTTP client (for the host and tools without dependency injection).</summary>
    public static CentraSource Create(CentraClientOptions clientOptions, CentraSourceOptions sourceOptions, TimeProvider timeProvider,
        HttpMessageHandler? handler = null)
    {
        var http = Tributary.Connectors.Http.PlatformHttp.CreateClient(handler);
        return new CentraSource(new CentraClient(http, clientOptions, timeProvider, ownsHttp: true), sourceOptions, ownsClient: true);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset> GetClockAsync(CancellationToken cancellationToken) => Client.GetServerTimeAsync(cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<SourcePage> ReadAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EnsureSupported(request.Entity);
        var limit = Math.Clamp(Math.Min(request.PageSize, Client.Options.EffectivePageSize), 1, CentraClientOptions.MaxPageSize);
        var after = request.AfterKey;
        // Customers and orders page by number (id, order number); sizes and stock by SKU, in Centra's own collation, which is not
        // published: those are checked under every common collation at once (KeysetOrder.Text).
        var order = request.Entity is EntityKind.Customer or EntityKind.Order
            ? KeysetOrder.Numeric(CentraException.PlatformName, request.Entity, KeyField(request.Entity), after)
            : KeysetOrder.Text(CentraException.PlatformName, request.Entity, KeyField(request.Entity), after);
        while (true)
        {
            var page = new CentraPageRequest(after, request.ModifiedFrom, request.ModifiedBefore, limit);
            var nodes = request.Entity switch
            {
                EntityKind.Customer => await Client.QueryCustomersAsync(page, _options.CustomerSelection, cancellationToken),
                EntityKind.Order => await Client.QueryOrdersAsync(page, cancellationToken),
                EntityKind.Product => await Client.QueryProductSizesAsync(page, cancellationToken),
                _ => await Client.QueryStockAsync(after, limit, cancellationToken),
            };
            if (nodes.Count == 0)
            {
                yield break;
            }

            // Before the page is used: an out-of-order page would make the next "after" query skip records.
            order.Check(nodes.Select(n => Node.Id(n, KeyField(request.Entity))).ToList());
            var readAt = Client.LastServerDate?.Server ?? Client.Time.GetUtcNow();
            var records = new List<CanonicalRecord>(nodes.Count);
            var rejected = new List<SourceRejection>();
            foreach (var node in nodes)
            {
                if (TryMap(request.Entity, node, readAt, out var record, out var rejection))
                {
                    // Centra's "to" bound may be inclusive: the window is closed-open, so the bound itself belongs to the next one.
                    if (request.Entity == EntityKind.Stock || request.ModifiedBefore is not { } before || record!.ModifiedAt < before)
                    {
                        records.Add(record!);
                    }
                }
                else
                {
                    rejected.Add(rejection!);
                }
            }

            if (request.Entity == EntityKind.Customer && _options.LinkGuestDuplicates)
            {
                await LinkGuestDuplicatesAsync(nodes, records, cancellationToken);
            }

            if (request.Entity == EntityKind.Order && _options.LinkGuestDuplicates)
            {
                await RekeyGuestOrdersAsync(nodes, records, cancellationToken);
            }

            after = Node.Id(nodes[^1], KeyField(request.Entity)) ?? throw new CentraException(FailureKind.Invalid,
                $"Centra served a {request.Entity} without its key ({KeyField(request.Entity)}), so paging cannot continue past it.");
            yield return new SourcePage(records, after, rejected);
            if (nodes.Count < limit)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public async Task<CanonicalRecord?> GetAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        EnsureSupported(entity);
        if (entity is EntityKind.Customer or EntityKind.Order
            && !long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        var node = entity switch
        {
            EntityKind.Customer => await Client.GetCustomerAsync(key, _options.CustomerSelection, cancellationToken),
            EntityKind.Order => await Client.GetOrderAsync(key, cancellationToken),
            EntityKind.Product => await Client.GetProductSizeAsync(key, cancellationToken),
            _ => await Client.GetStockAsync(key, cancellationToken),
        };
        if (node is not { } found)
        {
            return null;
        }

        var readAt = Client.LastServerDate?.Server ?? Client.Time.GetUtcNow();
        if (!TryMap(entity, found, readAt, out var record, out var rejection))
        {
            throw new CentraException(FailureKind.Invalid, $"Centra {entity} {key} cannot be mapped: {rejection!.Reason}", platformCode: "Unmappable");
        }

        if (entity == EntityKind.Customer && _options.LinkGuestDuplicates)
        {
            var records = new List<CanonicalRecord> { record! };
            await LinkGuestDuplicatesAsync([found], records, cancellationToken);
            return records[0];
        }

        if (entity == EntityKind.Order && _options.LinkGuestDuplicates)
        {
            var records = new List<CanonicalRecord> { record! };
            await RekeyGuestOrdersAsync([found], records, cancellationToken);
            return records[0];
        }

        return record;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            Client.Dispose();
        }
    }

    private bool TryMap(EntityKind entity, JsonElement node, DateTimeOffset readAt, out CanonicalRecord? record, out SourceRejection? rejection)
    {
        try
        {
            record = entity switch
            {
                EntityKind.Customer => CustomerMapper.Map(node, _options),
                EntityKind.Order => OrderMapper.Map(node, _options),
                EntityKind.Product => ProductMapper.Map(node, _options),
                _ => StockMapper.Map(node, _options, readAt),
            };
            rejection = null;
            return true;
        }
        catch (UnmappableException e)
        {
            record = null;
            var keyField = KeyField(entity);
            rejection = new SourceRejection(entity, Node.Id(node, keyField) ?? string.Empty, e.Message, CustomerMapper.Summarize(node, keyField));
            return false;
        }
    }

    /// <summary>
    /// Centra cannot merge customers, so a guest checkout leaves an unregistered customer beside the registered one with the
    /// same email. The unregistered one is reported as merged into the registered one (lowest id when there are several).
    /// </summary>
    private async Task LinkGuestDuplicatesAsync(IReadOnlyList<JsonElement> nodes, List<CanonicalRecord> records, CancellationToken cancellationToken)
    {
        var guests = records.OfType<Customer>()
            .Where(c => c.Email is { Length: > 0 } && nodes.Any(n => Node.Id(n, "id") == c.SourceId && CustomerMapper.IsUnregistered(n)))
            .ToList();
        var survivors = await FindSurvivorsAsync(guests.Select(g => g.Email!.Trim()), cancellationToken);

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is Customer c && guests.Contains(c) && survivors.GetValueOrDefault(c.Email!.Trim()) is { } survivor && survivor != c.SourceId)
            {
                records[i] = c with { MergedInto = survivor };
            }
        }
    }

    private static string KeyField(EntityKind entity) => entity switch
    {
        EntityKind.Customer => "id",
        EntityKind.Order => "number",
        _ => "SKU",
    };

    private static void EnsureSupported(EntityKind entity)
    {
        if (!Supported.Contains(entity))
        {
            throw new NotSupportedException($"The Centra source reads customers, orders, products and stock, not {entity}.");
        }
    }
}
