using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Commercetools;

/// <summary>Settings of the commercetools emulator.</summary>
public sealed class CommercetoolsEmulatorOptions
{
    /// <summary>Default token lifetime of the platform: 48 hours.</summary>
    public const int DefaultTokenLifetimeSeconds = 172_800;

    /// <summary>The one project the emulator serves.</summary>
    public string ProjectKey { get; set; } = "demo";

    /// <summary>Display name of the project.</summary>
    public string ProjectName { get; set; } = "Tributary sandbox shop";

    /// <summary>API client id (HTTP Basic user on the token endpoint).</summary>
    public string ClientId { get; set; } = "sandbox-client";

    /// <summary>API client secret.</summary>
    public string ClientSecret { get; set; } = "sandbox-secret";

    /// <summary>
    /// Scopes the API client holds, without the project suffix (e.g. <c>view_customers</c>). <c>manage_project</c> grants all.
    /// </summary>
    public IList<string> Scopes { get; set; } = ["manage_project"];

    /// <summary>Lifetime of issued tokens, in seconds (<c>expires_in</c>).</summary>
    public int TokenLifetimeSeconds { get; set; } = DefaultTokenLifetimeSeconds;
}

/// <summary>
/// Emulates the commercetools HTTP API subset Tributary reads: the OAuth2 token endpoint, the Customers and Orders resources
/// with query predicates, sorting and paging (orders with payment expansion), Payments by id, and the catalogue (product
/// projections with price selection, inventory entries, channels), in the platform's wire
/// shapes and error envelopes. API and auth hosts share one
/// base URL. Seeding and inspection methods stand in for what a merchant does in the Merchant Center.
/// </summary>
public sealed partial class CommercetoolsEmulator
{
    private readonly ResourceStore<SandboxCustomer, CustomerShape> _store = new();
    private long _requestCount;
    private long _serverErrors;

    /// <summary>Creates the emulator.</summary>
    public CommercetoolsEmulator(CommercetoolsEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
    }

    /// <summary>The settings.</summary>
    public CommercetoolsEmulatorOptions Options { get; }

    /// <summary>The clock of the emulated platform: timestamps, token expiry and the <c>Date</c> header.</summary>
    public TimeProvider Time { get; }

    /// <summary>Fault injection applied to every request.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Requests served (including faulted ones).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>
    /// Longest request target (path and query) served; a longer one is answered 414 URI Too Long by the platform's front end
    /// before it reaches the API, as a re-read of a 10 000-character id is. 8 KiB is the usual front-end limit (UNCONFIRMED for
    /// commercetools; the tests only need an id well beyond it).
    /// </summary>
    public const int MaxRequestTarget = 8 * 1024;

    private readonly object _pageFaultGate = new();
    private int _inOrderPagesFirst;
    private int _outOfOrderPages;

    /// <summary>
    /// A fault: after <paramref name="afterPages"/> more customer, order or inventory query pages of two or more results served as
    /// asked, the next <paramref name="count"/> list their results in reverse of the order asked (<c>id asc</c>, <c>sku asc</c>).
    /// </summary>
    public void ServePagesOutOfOrder(int count, int afterPages = 0)
    {
        lock (_pageFaultGate)
        {
            _inOrderPagesFirst = afterPages;
            _outOfOrderPages = count;
        }
    }

    private bool TakeOutOfOrderPage()
    {
        lock (_pageFaultGate)
        {
            if (_outOfOrderPages <= 0)
            {
                return false;
            }

            if (_inOrderPagesFirst > 0)
            {
                _inOrderPagesFirst--;
                return false;
            }

            _outOfOrderPages--;
            return true;
        }
    }

    /// <summary>A snapshot of every customer, in id order.</summary>
    public IReadOnlyList<SandboxCustomer> Customers =>
        _store.Read(all => all.Values.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Clone()).ToList());

    /// <summary>Adds a customer, assigning id, version and timestamps when missing. Returns its id.</summary>
    public string AddCustomer(SandboxCustomer customer)
    {
        var stored = Prepare(customer);
        _store.Write(_ => { _store.AddLocked(stored); return true; });
        return stored.Id!;
    }

    /// <summary>Adds many customers at once (one index rebuild).</summary>
    public void AddCustomers(IEnumerable<SandboxCustomer> customers) => _store.Put(customers.Select(Prepare).ToList());

    /// <summary>Changes a customer as a merchant would; bumps its version and lastModifiedAt. False when it does not exist.</summary>
    public bool UpdateCustomer(string id, Action<SandboxCustomer> change) => _store.Write(all =>
    {
        if (!all.TryGetValue(id, out var current))
        {
            return false;
        }

        var updated = current.Clone();
        change(updated);
        updated.Id = id;
        updated.Version = current.Version + 1;
        updated.LastModifiedAt = Now();
        all[id] = updated;
        return true;
    });

    /// <summary>Deletes a customer. False when it does not exist.</summary>
    public bool DeleteCustomer(string id) => _store.Write(_ => _store.RemoveLocked(id));

    /// <summary>A copy of one customer, or null.</summary>
    public SandboxCustomer? GetCustomer(string id) => _store.Read(all => all.TryGetValue(id, out var c) ? c.Clone() : null);

    /// <summary>Maps the token endpoint and the project API onto <paramref name="routes"/>.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty);
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            Interlocked.Increment(ref _requestCount);
            http.Response.Headers.Date = Time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
            var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? string.Empty;
            if (target.Length > MaxRequestTarget)
            {
                return Results.Text("<html><head><title>414 URI Too Long</title></head><body>The requested URL is too long.</body></html>",
                    "text/html; charset=UTF-8", statusCode: StatusCodes.Status414UriTooLong);
            }

            var fault = await Faults.InterceptAsync(http, RateLimitedResult, ServerErrorResult);
            return fault ?? await next(invocation);
        });

        group.MapPost("/oauth/token", (Func<HttpContext, Task<IResult>>)IssueTokenAsync);
        group.MapGet("/{projectKey}", GetProject);
        group.MapGet("/{projectKey}/customers", QueryCustomers);
        group.MapPost("/{projectKey}/customers", CreateCustomerAsync);
        group.MapGet("/{projectKey}/customers/{id}", GetCustomerById);
        group.MapPost("/{projectKey}/customers/{id}", UpdateCustomerAsync);
        group.MapDelete("/{projectKey}/customers/{id}", DeleteCustomerById);
        group.MapGet("/{projectKey}/messages", QueryMessages);
        group.MapGet("/{projectKey}/orders", QueryOrders);
        group.MapGet("/{projectKey}/orders/{id}", GetOrderById);
        group.MapGet("/{projectKey}/payments/{id}", GetPaymentById);
        group.MapGet("/{projectKey}/product-projections", QueryProducts);
        group.MapGet("/{projectKey}/product-projections/{id}", GetProductById);
        group.MapGet("/{projectKey}/inventory", QueryInventory);
        group.MapGet("/{projectKey}/inventory/{id}", GetInventoryById);
        group.MapPost("/{projectKey}/inventory/{id}", UpdateInventoryAsync);
        group.MapPost("/{projectKey}/products/{id}", UpdateProductAsync);
        group.MapGet("/{projectKey}/channels", QueryChannels);
        group.MapGet("/{projectKey}/shopping-lists", QueryShoppingLists);
    }

    /// <summary>The emulator's clock truncated to milliseconds, the precision the platform stores.</summary>
    private DateTimeOffset Now() => TruncateToMilliseconds(Time.GetUtcNow());

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private SandboxCustomer Prepare(SandboxCustomer customer)
    {
        var now = Now();
        customer.Id ??= Guid.NewGuid().ToString();
        customer.Version = customer.Version <= 0 ? 1 : customer.Version;
        customer.CreatedAt = customer.CreatedAt == default ? now : TruncateToMilliseconds(customer.CreatedAt);
        customer.LastModifiedAt = customer.LastModifiedAt == default ? now : TruncateToMilliseconds(customer.LastModifiedAt);
        return customer.Clone();
    }

    private IResult RateLimitedResult() => new HeaderResult(
        CtResults.Error(StatusCodes.Status429TooManyRequests, "TooManyRequests", "Too many requests. Retry after the announced delay."),
        "Retry-After",
        Faults.Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));

    /// <summary>Alternates 503 OverCapacity and 502 BadGateway, the two answers the platform gives while it scales.</summary>
    private IResult ServerErrorResult() => Interlocked.Increment(ref _serverErrors) % 2 == 1
        ? CtResults.Error(StatusCodes.Status503ServiceUnavailable, "OverCapacity", "The service is temporarily over capacity. Please retry.")
        : CtResults.Error(StatusCodes.Status502BadGateway, "BadGateway", "Bad gateway. Please retry.");

    private sealed class HeaderResult(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
