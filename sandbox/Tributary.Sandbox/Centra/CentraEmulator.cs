using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Centra;

/// <summary>
/// Emulates the subset of Centra's Integration API that Tributary reads: <c>POST /graphql</c> with a bearer token, the fixed
/// query shapes the connector sends (resolved by operation name by a small hand-written resolver: this is not a general
/// GraphQL engine, and selection sets are not interpreted: each operation answers its full fixed shape), GraphQL errors
/// inside HTTP 200, <c>extensions</c> with the complexity cost, the 60-per-10-s request bucket answering 429 with
/// Retry-After, and a webhook sender that signs payloads as the Centra Webhook plugin does.
/// </summary>
public sealed partial class CentraEmulator
{
    private readonly object _gate = new();
    private readonly SortedDictionary<int, CentraSandboxCustomer> _customers = [];
    private readonly SortedDictionary<int, CentraSandboxOrder> _orders = [];
    private readonly List<CentraSandboxProduct> _products = [];
    private readonly CentraRateLimiter _limiter;
    private int _nextCustomerId = 1;
    private int _nextOrderNumber = 1001;
    private int _nextProductId = 1;
    private long _requestCount;
    private long _throttled;

    /// <summary>Creates the emulator.</summary>
    public CentraEmulator(CentraEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        _limiter = new CentraRateLimiter(options, time);
    }

    /// <summary>The settings.</summary>
    public CentraEmulatorOptions Options { get; }

    /// <summary>The clock of the emulated platform: timestamps, the limiter and the <c>Date</c> header.</summary>
    public TimeProvider Time { get; }

    /// <summary>Fault injection applied to every request (its rate-limit answer is a 429 with Retry-After).</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Requests received (including faulted and throttled ones).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Requests refused by the emulated rate limit (not counting injected faults).</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Stores: "Retail" (DIRECT_TO_CONSUMER) and "Wholesale" (WHOLESALE), as every tenant starts with.</summary>
    public List<CentraSandboxStore> Stores { get; } = [new(1, "Retail", "DIRECT_TO_CONSUMER"), new(2, "Wholesale", "WHOLESALE")];

    /// <summary>Markets.</summary>
    public List<CentraSandboxMarket> Markets { get; } = [new(1, "EU"), new(2, "US")];

    /// <summary>Pricelists (one currency each).</summary>
    public List<CentraSandboxPricelist> Pricelists { get; } = [new(1, "EUR Retail", "EUR"), new(2, "USD Retail", "USD"), new(3, "EUR Wholesale", "EUR")];

    /// <summary>Warehouses.</summary>
    public List<CentraSandboxWarehouse> Warehouses { get; } = [new(1, "EU DC"), new(2, "US DC"), new(3, "Showroom")];

    /// <summary>Adds a customer; assigns id and times when missing. Returns its id.</summary>
    public int AddCustomer(CentraSandboxCustomer customer)
    {
        lock (_gate)
        {
            var c = customer.Clone();
            c.Id = c.Id > 0 ? c.Id : _nextCustomerId;
            _nextCustomerId = Math.Max(_nextCustomerId, c.Id + 1);
            c.CreatedAt = c.CreatedAt == default ? Now() : Truncate(c.CreatedAt);
            c.UpdatedAt = c.UpdatedAt == default ? c.CreatedAt : Truncate(c.UpdatedAt);
            _customers[c.Id] = c;
            return c.Id;
        }
    }

    /// <summary>Changes a customer as a merchant would; bumps updatedAt. False when it does not exist.</summary>
    public bool UpdateCustomer(int id, Action<CentraSandboxCustomer> change)
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
            updated.UpdatedAt = Now();
            _customers[id] = updated;
            return true;
        }
    }

    /// <summary>A copy of one customer, or null.</summary>
    public CentraSandboxCustomer? GetCustomer(int id)
    {
        lock (_gate)
        {
            return _customers.TryGetValue(id, out var c) ? c.Clone() : null;
        }
    }

    /// <summary>
    /// Presents a merge the way Centra does (it cannot merge customers): <paramref name="merged"/> becomes the unregistered
    /// customer a guest checkout leaves behind, with the survivor's email, beside the registered <paramref name="survivor"/>.
    /// Both are touched (updatedAt). False when either does not exist.
    /// </summary>
    public bool MergeCustomers(int survivor, int merged)
    {
        lock (_gate)
        {
            if (survivor == merged || !_customers.TryGetValue(survivor, out var s) || !_customers.TryGetValue(merged, out var m))
            {
                return false;
            }

            var now = Now();
            s.Registered = true;
            s.UpdatedAt = now;
            m.Registered = false;
            m.Email = s.Email;
            m.UpdatedAt = now;
            return true;
        }
    }

    /// <summary>Adds an order; assigns number, line, shipment and return ids and times when missing. Returns its number.</summary>
    public int AddOrder(CentraSandboxOrder order)
    {
        lock (_gate)
        {
            var o = order.Clone();
            o.Number = o.Number > 0 ? o.Number : _nextOrderNumber;
            _nextOrderNumber = Math.Max(_nextOrderNumber, o.Number + 1);
            o.CreatedAt = o.CreatedAt == default ? Now() : Truncate(o.CreatedAt);
            o.UpdatedAt = o.UpdatedAt == default ? o.CreatedAt : Truncate(o.UpdatedAt);
            for (var i = 0; i < o.Lines.Count; i++)
            {
                o.Lines[i].Id = o.Lines[i].Id > 0 ? o.Lines[i].Id : (o.Number * 100) + i + 1;
            }

            for (var i = 0; i < o.Shipments.Count; i++)
            {
                var s = o.Shipments[i];
                s.Id = s.Id > 0 ? s.Id : (o.Number * 10) + i + 1;
                s.Number ??= $"{o.Number}-{i + 1}";
                s.CreatedAt = s.CreatedAt == default ? o.CreatedAt : s.CreatedAt;
            }

            for (var i = 0; i < o.Returns.Count; i++)
            {
                o.Returns[i].Id = o.Returns[i].Id > 0 ? o.Returns[i].Id : (o.Number * 10) + i + 1;
                o.Returns[i].CreatedAt = o.Returns[i].CreatedAt == default ? o.UpdatedAt : o.Returns[i].CreatedAt;
            }

            _orders[o.Number] = o;
            return o.Number;
        }
    }

    /// <summary>Changes an order; bumps updatedAt. False when it does not exist.</summary>
    public bool UpdateOrder(int number, Action<CentraSandboxOrder> change)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(number, out var current))
            {
                return false;
            }

            var updated = current.Clone();
            change(updated);
            updated.Number = number;
            updated.UpdatedAt = Now();
            _orders[number] = updated;
            return true;
        }
    }

    /// <summary>Adds a product with its variants and sizes; assigns ids and times when missing. Returns its id.</summary>
    public int AddProduct(CentraSandboxProduct product)
    {
        lock (_gate)
        {
            product.Id = product.Id > 0 ? product.Id : _nextProductId;
            _nextProductId = Math.Max(_nextProductId, product.Id + 1) + product.Variants.Count;
            for (var i = 0; i < product.Variants.Count; i++)
            {
                var v = product.Variants[i];
                v.Id = v.Id > 0 ? v.Id : (product.Id * 100) + i + 1;
                foreach (var size in v.Sizes)
                {
                    size.UpdatedAt = size.UpdatedAt == default ? Now() : Truncate(size.UpdatedAt);
                }
            }

            _products.Add(product);
            return product.Id;
        }
    }

    /// <summary>Sets the free-to-allocate stock of a SKU in a warehouse. False when the SKU does not exist.</summary>
    public bool SetStock(string sku, int warehouseId, int freeToAllocate)
    {
        lock (_gate)
        {
            var size = _products.SelectMany(p => p.Variants).SelectMany(v => v.Sizes).FirstOrDefault(s => s.Sku == sku);
            if (size is null)
            {
                return false;
            }

            size.Stock[warehouseId] = freeToAllocate;
            return true;
        }
    }

    /// <summary>Maps <c>POST /graphql</c> onto <paramref name="routes"/>.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty);
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            Interlocked.Increment(ref _requestCount);
            http.Response.Headers.Date = Time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
            var fault = await Faults.InterceptAsync(http, () => RateLimited(Time.GetUtcNow().AddSeconds(Faults.Options.RetryAfterSeconds)),
                () => Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: StatusCodes.Status502BadGateway));
            return fault ?? await next(invocation);
        });
        group.MapPost("/graphql", (Func<HttpContext, Task<IResult>>)HandleAsync);
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        if (!Authenticated(http.Request))
        {
            return CentraResults.Errors(StatusCodes.Status401Unauthorized, "authentication", "Invalid or expired access token.");
        }

        var (allowed, retryAt) = _limiter.TryTake();
        if (!allowed)
        {
            Interlocked.Increment(ref _throttled);
            return RateLimited(retryAt);
        }

        return await ResolveAsync(http);
    }

    private bool Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Cookies["graphql-access"];
        return token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(Options.Token));
    }

    private IResult RateLimited(DateTimeOffset retryAt)
    {
        var now = Time.GetUtcNow();
        var value = Options.RetryAfterFormat switch
        {
            RetryAfterFormat.EpochSeconds => ((long)Math.Ceiling(retryAt.ToUnixTimeMilliseconds() / 1000.0)).ToString(CultureInfo.InvariantCulture),
            RetryAfterFormat.Seconds => ((long)Math.Ceiling(Math.Max(0, (retryAt - now).TotalSeconds))).ToString(CultureInfo.InvariantCulture),
            _ => new DateTimeOffset(retryAt.UtcTicks - (retryAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero)
                .AddSeconds(retryAt.UtcTicks % TimeSpan.TicksPerSecond == 0 ? 0 : 1).ToString("R", CultureInfo.InvariantCulture),
        };
        return new HeaderResult(CentraResults.Errors(StatusCodes.Status429TooManyRequests, "rate-limit", "Too many requests."), "Retry-After", value);
    }

    /// <summary>Centra prints DateTimeTz with whole seconds.</summary>
    private DateTimeOffset Now() => Truncate(Time.GetUtcNow());

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private sealed class HeaderResult(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
