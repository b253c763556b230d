using System.Runtime.CompilerServices;
using Tributary.Connectors.Cin7Core.Api;
using Tributary.Connectors.Cin7Core.Mapping;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core;

/// <summary>
/// Reads customers, orders (sales), products and stock from Cin7 Core's External API v2. Cin7 Core pages by number only
/// (Page/Limit, no sort, no key filter), so each read first lists its window at the maximum Limit, then serves it in key
/// order (customer and sale ids, SKUs) after <see cref="SourceReadRequest.AfterKey"/>: a resumed read re-lists the window
/// (one call per 1000 records) and skips every key up to the one it stopped at, and a record that moved between pages while
/// the list was read is kept once, in its newest form.
/// </summary>
public sealed partial class Cin7CoreSource : ISourceConnector, IDisposable
{
    /// <summary>The source name used in state keys and logs.</summary>
    public const string SourceName = "cin7core";

    private static readonly IReadOnlySet<EntityKind> Supported =
        new HashSet<EntityKind> { EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock };

    private readonly Cin7CoreSourceOptions _options;
    private readonly bool _ownsClient;
    private string? _currency;

    /// <summary>Creates the source over a client.</summary>
    public Cin7CoreSource(Cin7CoreClient client, Cin7CoreSourceOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    private Cin7CoreSource(Cin7CoreClient client, Cin7CoreSourceOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        Client = client;
        _options = options;
        _ownsClient = ownsClient;
    }

    /// <summary>The HTTP client.</summary>
    public Cin7CoreClient Client { get; }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlySet<EntityKind> Entities => Supported;

    /// <summary>Creates a source with its own HTTP client (for the host and tools without dependency injection).</summary>
    public static Cin7CoreSource Create(Cin7CoreClientOptions clientOptions, Cin7CoreSourceOptions sourceOptions, TimeProvider timeProvider,
        HttpMessageHandler? handler = null)
    {
        var http = Tributary.Connectors.Http.PlatformHttp.CreateClient(handler);
        return new Cin7CoreSource(new Cin7CoreClient(http, clientOptions, timeProvider, ownsHttp: true), sourceOptions, ownsClient: true);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset> GetClockAsync(CancellationToken cancellationToken) => Client.GetServerTimeAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SourcePage> ReadAsync(SourceReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureSupported(request.Entity);
        return request.Entity switch
        {
            EntityKind.Customer => ReadCustomersAsync(request, cancellationToken),
            EntityKind.Order => ReadOrdersAsync(request, cancellationToken),
            EntityKind.Product => ReadProductsAsync(request, cancellationToken),
            _ => ReadStockAsync(request, cancellationToken),
        };
    }

    /// <inheritdoc />
    public async Task<CanonicalRecord?> GetAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        EnsureSupported(entity);
        if (string.IsNullOrWhiteSpace(key) || (entity is EntityKind.Customer or EntityKind.Order && !Guid.TryParse(key, out _)))
        {
            return null;
        }

        switch (entity)
        {
            case EntityKind.Customer:
                return await Client.GetCustomerAsync(key, cancellationToken) is { } c
                    ? MapOrThrow(entity, key, () => CustomerMapper.Map(c, _options))
                    : null;
            case EntityKind.Order:
                return await Client.GetSaleAsync(key, cancellationToken) is { } s
                    ? MapOrThrow(entity, key, () => OrderMapper.Map(s, null, _options))
                    : null;
            case EntityKind.Product:
                var product = await FindProductAsync(key, cancellationToken);
                if (product is null)
                {
                    return null;
                }

                var currency = await CurrencyAsync(cancellationToken);
                return MapOrThrow(entity, key, () => ProductMapper.Map(product, _options, currency));
            default:
                var rows = await CollectAsync(Client.ReadAllPagesAsync((p, l, ct) => Client.ListAvailabilityAsync(p, l, key, ct),
                    r => r.ProductAvailabilityList, r => r.Total, cancellationToken));
                var own = rows.Where(r => string.Equals(Wire.Trimmed(r.Sku), key, StringComparison.Ordinal)).ToList();
                var readAt = ReadAt();
                // No rows means no stock anywhere; a SKU that is not a product at all does not exist.
                if (own.Count == 0 && await FindProductAsync(key, cancellationToken) is null)
                {
                    return null;
                }

                return StockMapper.Map(key, own, _options, readAt);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            Client.Dispose();
        }
    }

    private async IAsyncEnumerable<SourcePage> ReadCustomersAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = Client.ReadAllPagesAsync((p, l, ct) => Client.ListCustomersAsync(p, l, request.ModifiedFrom, ct), r => r.CustomerList, r => r.Total,
            cancellationToken);
        var entries = new List<Entry<CustomerDto>>();
        await foreach (var c in listed)
        {
            entries.Add(new Entry<CustomerDto>(KeyOf(c.Id), Wire.Time(c.LastModifiedOn), c));
        }

        foreach (var chunk in KeyOrdered(entries, request).Chunk(EmitSize(request)))
        {
            yield return Page(EntityKind.Customer, chunk, e => CustomerMapper.Map(e.Item, _options), e => CustomerMapper.Summarize(e.Item));
        }
    }

    private async IAsyncEnumerable<SourcePage> ReadOrdersAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = Client.ReadAllPagesAsync((p, l, ct) => Client.ListSalesAsync(p, l, request.ModifiedFrom, ct), r => r.SaleList, r => r.Total,
            cancellationToken);
        var entries = new List<Entry<SaleListRowDto>>();
        await foreach (var row in listed)
        {
            entries.Add(new Entry<SaleListRowDto>(KeyOf(row.SaleId), Wire.Time(row.Updated), row));
        }

        // The list has no email, lines or fulfilments: each sale in the window costs one detail call, spent page by page so a
        // resumed read never pays again for the sales it already delivered.
        foreach (var chunk in KeyOrdered(entries, request).Chunk(EmitSize(request)))
        {
            var details = new List<Entry<(SaleDto? Sale, SaleListRowDto Row)>>(chunk.Length);
            foreach (var e in chunk)
            {
                var sale = e.Key.Length == 0 ? null : await Client.GetSaleAsync(e.Key, cancellationToken);
                details.Add(new Entry<(SaleDto?, SaleListRowDto)>(e.Key, e.Modified, (sale, e.Item)));
            }

            // A sale deleted between the list and its detail is gone: nothing to map, nothing to reject.
            var present = details.Where(d => d.Item.Sale is not null || d.Key.Length == 0).ToArray();
            var page = Page(EntityKind.Order, present, e => OrderMapper.Map(e.Item.Sale ?? throw new UnmappableException("the sale has no SaleID"),
                e.Item.Row, _options), e => $"{{\"SaleID\":\"{e.Key}\",\"OrderNumber\":\"{e.Item.Row.OrderNumber}\"}}");
            yield return page with { LastKey = chunk[^1].Key };
        }
    }

    private async IAsyncEnumerable<SourcePage> ReadProductsAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var currency = await CurrencyAsync(cancellationToken);
        var listed = Client.ReadAllPagesAsync((p, l, ct) => Client.ListProductsAsync(p, l, request.ModifiedFrom, null, ct), r => r.Products, r => r.Total,
            cancellationToken);
        var entries = new List<Entry<ProductDto>>();
        await foreach (var p in listed)
        {
            entries.Add(new Entry<ProductDto>(Wire.Trimmed(p.Sku) ?? string.Empty, Wire.Time(p.LastModifiedOn), p));
        }

        foreach (var chunk in KeyOrdered(entries, request).Chunk(EmitSize(request)))
        {
            yield return Page(EntityKind.Product, chunk, e => ProductMapper.Map(e.Item, _options, currency),
                e => $"{{\"ID\":\"{e.Item.Id}\",\"SKU\":\"{e.Item.Sku}\"}}");
        }
    }

    /// <summary>
    /// Stock has no modification filter (integrators report <c>ModifiedSince</c> ignored there), so every stock read is a full
    /// snapshot whatever the window (unchanged SKUs cost nothing downstream), with <c>ModifiedAt</c> = the server clock at the read.
    /// </summary>
    private async IAsyncEnumerable<SourcePage> ReadStockAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = await CollectAsync(Client.ReadAllPagesAsync((p, l, ct) => Client.ListAvailabilityAsync(p, l, null, ct),
            r => r.ProductAvailabilityList, r => r.Total, cancellationToken));
        var readAt = ReadAt();
        var bySku = rows.Where(r => Wire.Trimmed(r.Sku) is not null)
            .GroupBy(r => r.Sku!.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IEnumerable<AvailabilityDto>)g, StringComparer.Ordinal);
        if (_options.ReportSoldOutSkus)
        {
            await foreach (var p in Client.ReadAllPagesAsync((pg, l, ct) => Client.ListProductsAsync(pg, l, null, null, ct), r => r.Products, r => r.Total,
                               cancellationToken))
            {
                if (Wire.Trimmed(p.Sku) is { } sku && !bySku.ContainsKey(sku))
                {
                    bySku[sku] = [];
                }
            }
        }

        var entries = bySku.Select(kv => new Entry<IEnumerable<AvailabilityDto>>(kv.Key, null, kv.Value)).ToList();
        foreach (var chunk in KeyOrdered(entries, request with { ModifiedFrom = null, ModifiedBefore = null }).Chunk(EmitSize(request)))
        {
            yield return Page(EntityKind.Stock, chunk, e => StockMapper.Map(e.Key, e.Item, _options, readAt), e => $"{{\"SKU\":\"{e.Key}\"}}");
        }
    }

    private async Task<ProductDto?> FindProductAsync(string sku, CancellationToken cancellationToken)
    {
        // The Sku filter may match more than the exact SKU, so the exact one is picked here.
        var products = await CollectAsync(Client.ReadAllPagesAsync((p, l, ct) => Client.ListProductsAsync(p, l, null, sku, ct), r => r.Products,
            r => r.Total, cancellationToken));
        return products.FirstOrDefault(p => string.Equals(Wire.Trimmed(p.Sku), sku, StringComparison.Ordinal));
    }

    private async Task<string> CurrencyAsync(CancellationToken cancellationToken)
    {
        if ((_options.Currency ?? _currency) is { } known)
        {
            return known.ToUpperInvariant();
        }

        var me = await Client.GetMeAsync(cancellationToken);
        _currency = Wire.Trimmed(me.Currency) ?? throw new Cin7CoreException(FailureKind.Config,
            "Cin7 Core did not report the account's base currency (GET /me). Fix: set Currency in the Cin7 Core source options.");
        return _currency.ToUpperInvariant();
    }

    private DateTimeOffset ReadAt() => Client.LastServerDate?.Server ?? Client.Time.GetUtcNow();

    private static string KeyOf(string? id) => Wire.Trimmed(id)?.ToLowerInvariant() ?? string.Empty;

    private static int EmitSize(SourceReadRequest request) => Math.Clamp(request.PageSize, 1, Cin7CoreClientOptions.MaxPageLimit);

    private static async Task<List<T>> CollectAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static void EnsureSupported(EntityKind entity)
    {
        if (!Supported.Contains(entity))
        {
            throw new NotSupportedException($"The Cin7 Core source reads customers, orders, products and stock, not {entity}.");
        }
    }
}
