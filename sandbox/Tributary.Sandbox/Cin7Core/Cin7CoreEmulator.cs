using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Cin7Core;

/// <summary>
/// Emulates the subset of Cin7 Core's External API v2 that Tributary reads, under <c>/ExternalApi/v2/</c> with
/// case-insensitive paths: header auth (403 on mismatch), Page/Limit/Total envelopes, the ModifiedSince/UpdatedSince filters,
/// the 60-calls-a-minute limit answered with 503 (or 429), <c>{ErrorCode, Exception}</c> error bodies, fault injection, and a
/// webhook sender with the configured auth and the deactivation after six failed attempts.
/// </summary>
public sealed partial class Cin7CoreEmulator
{
    /// <summary>The API path below the emulator's prefix.</summary>
    public const string ApiPath = "/ExternalApi/v2";

    private readonly object _gate = new();
    private readonly Dictionary<Guid, Cin7SandboxCustomer> _customers = [];
    private readonly Dictionary<Guid, Cin7SandboxSale> _sales = [];
    private readonly Dictionary<Guid, Cin7SandboxProduct> _products = [];
    private readonly Dictionary<(string Sku, string Location), Cin7SandboxStock> _stock = [];
    private readonly Dictionary<Guid, Cin7SandboxWebhook> _webhooks = [];
    private readonly Cin7CoreRateLimiter _limiter;
    private int _nextOrderNumber = 1;
    private int _nextId;
    private long _requestCount;
    private long _throttled;

    /// <summary>Creates the emulator.</summary>
    public Cin7CoreEmulator(Cin7CoreEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        _limiter = new Cin7CoreRateLimiter(options, time);
    }

    /// <summary>The settings.</summary>
    public Cin7CoreEmulatorOptions Options { get; }

    /// <summary>The clock of the emulated platform: timestamps, the limiter and the <c>Date</c> header.</summary>
    public TimeProvider Time { get; }

    /// <summary>Fault injection applied to every request (its rate-limit answer is the platform's 503).</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Requests received (including faulted, refused and throttled ones).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Requests refused by the emulated rate limit (not counting injected faults).</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Locations: a default warehouse, a quarantine location and a wholesale warehouse.</summary>
    public List<Cin7SandboxLocation> Locations { get; } =
    [
        new(new Guid("5c0d0000-0000-4000-8000-000000000001"), "Main Warehouse", IsDefault: true),
        new(new Guid("5c0d0000-0000-4000-8000-000000000002"), "Quarantine"),
        new(new Guid("5c0d0000-0000-4000-8000-000000000003"), "Wholesale Warehouse"),
    ];

    /// <summary>Adds a customer; assigns ids and time when missing. Returns its id.</summary>
    public Guid AddCustomer(Cin7SandboxCustomer customer)
    {
        lock (_gate)
        {
            var c = customer.Clone();
            c.Id = c.Id == Guid.Empty ? NewId() : c.Id;
            c.Name = c.Name.Length > 0 ? c.Name : $"Customer {c.Id.ToString()[..8]}";
            foreach (var contact in c.Contacts.Where(x => x.Id == Guid.Empty))
            {
                contact.Id = NewId();
            }

            c.LastModifiedOn = c.LastModifiedOn == default ? Now() : Truncate(c.LastModifiedOn);
            _customers[c.Id] = c;
            return c.Id;
        }
    }

    /// <summary>Changes a customer as a merchant would; bumps LastModifiedOn. False when it does not exist.</summary>
    public bool UpdateCustomer(Guid id, Action<Cin7SandboxCustomer> change)
    {
        lock (_gate)
        {
            if (!_customers.TryGetValue(id, out var current))
            {
                return false;
            }

            var updated = current.Clone();
            change(updated);
            updated.Id = id;
            updated.LastModifiedOn = Now();
            _customers[id] = updated;
            return true;
        }
    }

    /// <summary>Adds a sale; assigns id, number, fulfilment numbers and times when missing. Returns its id.</summary>
    public Guid AddSale(Cin7SandboxSale sale)
    {
        lock (_gate)
        {
            var s = sale.Clone();
            s.Id = s.Id == Guid.Empty ? NewId() : s.Id;
            s.OrderNumber ??= $"SO-{_nextOrderNumber++:00000}";
            s.OrderDate = s.OrderDate == default ? Now() : Truncate(s.OrderDate);
            s.LastModifiedOn = s.LastModifiedOn == default ? s.OrderDate : Truncate(s.LastModifiedOn);
            for (var i = 0; i < s.Fulfilments.Count; i++)
            {
                s.Fulfilments[i].Number = s.Fulfilments[i].Number > 0 ? s.Fulfilments[i].Number : i + 1;
            }

            _sales[s.Id] = s;
            return s.Id;
        }
    }

    /// <summary>Changes a sale; bumps LastModifiedOn. False when it does not exist.</summary>
    public bool UpdateSale(Guid id, Action<Cin7SandboxSale> change)
    {
        lock (_gate)
        {
            if (!_sales.TryGetValue(id, out var current))
            {
                return false;
            }

            var updated = current.Clone();
            change(updated);
            updated.Id = id;
            updated.LastModifiedOn = Now();
            _sales[id] = updated;
            return true;
        }
    }

    /// <summary>Adds a product; assigns id and time when missing. Returns its id.</summary>
    public Guid AddProduct(Cin7SandboxProduct product)
    {
        lock (_gate)
        {
            product.Id = product.Id == Guid.Empty ? NewId() : product.Id;
            product.LastModifiedOn = product.LastModifiedOn == default ? Now() : Truncate(product.LastModifiedOn);
            _products[product.Id] = product;
            return product.Id;
        }
    }

    /// <summary>Sets the stock of a SKU at a location (replacing what was there).</summary>
    public void SetStock(Cin7SandboxStock stock)
    {
        lock (_gate)
        {
            _stock[(stock.Sku, stock.Location)] = stock;
        }
    }

    /// <summary>Registers a webhook as <c>POST /webhooks</c> would. Returns its id.</summary>
    public Guid AddWebhook(Cin7SandboxWebhook webhook)
    {
        lock (_gate)
        {
            webhook.Id = webhook.Id == Guid.Empty ? NewId() : webhook.Id;
            _webhooks[webhook.Id] = webhook;
            return webhook.Id;
        }
    }

    /// <summary>A registered webhook, or null.</summary>
    public Cin7SandboxWebhook? GetWebhook(Guid id)
    {
        lock (_gate)
        {
            return _webhooks.GetValueOrDefault(id);
        }
    }

    /// <summary>Maps <c>/ExternalApi/v2/…</c> onto <paramref name="routes"/>.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ApiPath);
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            Interlocked.Increment(ref _requestCount);
            http.Response.Headers.Date = Time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
            var fault = await Faults.InterceptAsync(http, RateLimited,
                () => Cin7CoreResults.Error(StatusCodes.Status500InternalServerError, "Internal server error."));
            if (fault is not null)
            {
                return fault;
            }

            if (!Authenticated(http.Request))
            {
                return Cin7CoreResults.Error(StatusCodes.Status403Forbidden, "Incorrect credentials!");
            }

            if (!_limiter.TryTake())
            {
                Interlocked.Increment(ref _throttled);
                return RateLimited();
            }

            return await next(invocation);
        });
        MapEndpoints(group);
    }

    private bool Authenticated(HttpRequest request) =>
        Same(request.Headers["api-auth-accountid"].ToString(), Options.AccountId)
        & Same(request.Headers["api-auth-applicationkey"].ToString(), Options.ApplicationKey);

    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private IResult RateLimited() =>
        Cin7CoreResults.Error(Options.RateLimitStatus, $"You reached {Math.Max(1, Options.RequestsPerMinute)} calls per minute API limit");

    /// <summary>Ids are time-ordered-looking GUIDs; their order is unrelated to names, so list order and key order differ.</summary>
    private Guid NewId()
    {
        var n = ++_nextId;
        var bytes = RandomNumberGenerator.GetBytes(16);
        return new Guid(Convert.ToHexString(bytes)[..24].ToLowerInvariant() + n.ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>Cin7 Core prints times with milliseconds.</summary>
    private DateTimeOffset Now() => Truncate(Time.GetUtcNow());

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
