using System.Globalization;
using System.Runtime.CompilerServices;
using Tributary.Connectors.Http;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Reads customers, orders, products and stock from commercetools: keyset pages (by id; stock by SKU) never offset, optionally
/// within a closed-open <c>lastModifiedAt</c> window, mapped onto the canonical model.
/// </summary>
public sealed partial class CommercetoolsSource : ISourceConnector, IStockWatchers, IGroupedRereads, IDisposable
{
    /// <summary>The source name used in state keys and logs.</summary>
    public const string SourceName = "commercetools";

    private static readonly IReadOnlySet<EntityKind> Supported = new HashSet<EntityKind>
    {
        EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock,
    };

    private readonly CommercetoolsSourceOptions _options;
    private readonly bool _ownsClient;
    private readonly ChannelDirectory _channels;

    /// <summary>Creates the source over a client.</summary>
    public CommercetoolsSource(CommercetoolsClient client, CommercetoolsSourceOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    private CommercetoolsSource(CommercetoolsClient client, CommercetoolsSourceOptions options, bool ownsClient)
    {
        Client = client;
        _options = options;
        _ownsClient = ownsClient;
        _channels = new ChannelDirectory(client);
    }

    /// <summary>The HTTP client.</summary>
    public CommercetoolsClient Client { get; }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlySet<EntityKind> Entities => Supported;

    /// <summary>Creates a source with its own HTTP client (for the host and tools without dependency injection).</summary>
    public static CommercetoolsSource Create(CommercetoolsClientOptions clientOptions, CommercetoolsSourceOptions sourceOptions,
        TimeProvider timeProvider, HttpMessageHandler? handler = null)
    {
        var http = Tributary.Connectors.Http.PlatformHttp.CreateClient(handler);
        var client = new CommercetoolsClient(http, clientOptions, timeProvider, ownsHttp: true);
        return new CommercetoolsSource(client, sourceOptions, ownsClient: true);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset> GetClockAsync(CancellationToken cancellationToken) => Client.GetServerTimeAsync(cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<SourcePage> ReadAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EnsureSupported(request.Entity);
        var limit = Math.Clamp(Math.Min(request.PageSize, Client.Options.EffectivePageSize), 1, CommercetoolsClientOptions.MaxPageSize);
        if (request.Entity == EntityKind.Stock)
        {
            await foreach (var stock in ReadStockAsync(request, limit, cancellationToken))
            {
                yield return stock;
            }

            yield break;
        }

        var (window, variables) = Window(request);
        var after = request.AfterKey;
        var order = KeysetOrder.Ordinal(SourceName, request.Entity, "id", after);
        while (true)
        {
            var where = new List<string>(window);
            if (after is not null)
            {
                where.Add($"id > \"{Escape(after)}\"");
            }

            var page = request.Entity switch
            {
                EntityKind.Order => await ReadOrderPageAsync(where, variables, limit, cancellationToken),
                EntityKind.Product => await ReadProductPageAsync(where, variables, limit, cancellationToken),
                _ => await ReadCustomerPageAsync(where, variables, limit, cancellationToken),
            };
            if (page.Served == 0)
            {
                yield break;
            }

            // Before the page is used: an out-of-order page would make the next "id >" query skip records.
            order.Check(page.Ids);
            after = page.LastId ?? throw new CommercetoolsException(FailureKind.Invalid,
                $"commercetools served a {request.Entity.ToString().ToLowerInvariant()} record without an id, so paging cannot continue past it.");
            yield return new SourcePage(page.Records, after, page.Rejected);
            if (page.Served < limit)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public async Task<CanonicalRecord?> GetAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        EnsureSupported(entity);
        if (entity == EntityKind.Product)
        {
            return await GetProductAsync(key, cancellationToken);
        }

        if (entity == EntityKind.Stock)
        {
            return await GetStockAsync(key, cancellationToken);
        }

        string? reason;
        if (entity == EntityKind.Order)
        {
            var order = await Client.GetOrderAsync(key, cancellationToken);
            if (order is null)
            {
                return null;
            }

            return MapOrder(order, out reason) ?? throw new CommercetoolsException(FailureKind.Invalid,
                $"commercetools order {key} cannot be mapped: {reason}", platformCode: "Unmappable");
        }

        var result = await Client.GetCustomerAsync(key, cancellationToken);
        if (result is null)
        {
            return null;
        }

        return Map(result, out reason) ?? throw new CommercetoolsException(FailureKind.Invalid,
            $"commercetools customer {key} cannot be mapped: {reason}", platformCode: "Unmappable");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            Client.Dispose();
        }
    }

    private Customer? Map(CustomerRecord record, out string? reason)
    {
        if (record.Customer is null)
        {
            reason = record.ReadError ?? "the record could not be read";
            return null;
        }

        return CustomerMapper.Map(record.Customer, _options, out reason);
    }

    private static void EnsureSupported(EntityKind entity)
    {
        if (!Supported.Contains(entity))
        {
            throw new NotSupportedException($"The commercetools source reads customers, orders, products and stock, not {entity}.");
        }
    }

    /// <summary>ISO-8601 UTC with milliseconds, the platform's timestamp form.</summary>
    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
