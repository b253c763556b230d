using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Emarsys;

/// <summary>
/// Emulates the Emarsys Core API v2 subset Tributary uses: WSSE auth, the per-user rate limit, the field registry, account
/// settings, the contact endpoints (create, update, upsert, getdata, delete) and external event triggers with the real envelope
/// and reply codes; plus the sales-data (HAPI) CSV upload of Smart Insight and the product catalogue (fetched from a feed URL,
/// or uploaded through HAPI).
/// </summary>
public sealed partial class EmarsysEmulator
{
    private readonly object _gate = new();
    private readonly EmarsysWsse _wsse;
    private readonly EmarsysRateLimiter _limiter;
    private readonly EmarsysContactStore _store = new();
    private readonly Dictionary<string, (int Code, string Message)> _rejections = new(StringComparer.Ordinal);
    private long _requestCount;
    private long _contactWriteRequests;

    /// <summary>Creates the emulator.</summary>
    public EmarsysEmulator(EmarsysEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        _wsse = new EmarsysWsse(options, time);
        _limiter = new EmarsysRateLimiter(options, time);
        Fields = new EmarsysFieldRegistry(options.CustomFields);
    }

    /// <summary>The settings it was created with.</summary>
    public EmarsysEmulatorOptions Options { get; }

    /// <summary>The emulator's clock (WSSE time frame, rate limit, Date header).</summary>
    public TimeProvider Time { get; }

    /// <summary>Fault injection for this emulator.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>The account's fields (system and custom).</summary>
    public EmarsysFieldRegistry Fields { get; }

    /// <summary>Every request received, including rejected ones.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Contact create/update calls that passed auth, limits and faults.</summary>
    public long ContactWriteRequests => Interlocked.Read(ref _contactWriteRequests);

    /// <summary>Called with the running count each time a contact write reaches the handler (tests wait on it instead of polling).</summary>
    public Action<long>? ContactWriteObserved { get; set; }

    /// <summary>A snapshot of every contact, by internal id.</summary>
    public IReadOnlyList<EmarsysContact> Contacts
    {
        get
        {
            lock (_gate)
            {
                return _store.All.OrderBy(c => c.Id).Select(c => c.Snapshot()).ToList();
            }
        }
    }

    /// <summary>The first contact whose field equals the value, or null.</summary>
    public EmarsysContact? FindByField(string fieldId, string value)
    {
        lock (_gate)
        {
            var found = _store.Find(fieldId, value);
            return found.Count == 0 ? null : found[0].Snapshot();
        }
    }

    /// <summary>
    /// Creates a contact as an Emarsys form, an import or the marketing team would: the given fields only (no customer id in
    /// the key field unless given). Answers its internal id.
    /// </summary>
    public long CreateContactInEmarsys(IReadOnlyDictionary<string, string> fields)
    {
        lock (_gate)
        {
            var contact = _store.Create();
            foreach (var (field, value) in fields)
            {
                _store.Set(contact, field, value);
            }

            return contact.Id;
        }
    }

    /// <summary>
    /// Changes a field the way Emarsys itself does, outside the API: a form or a double opt-in setting the opt-in (31) to 1, an
    /// unsubscribe link or preference page setting it to 2. Answers false when no contact has the key value.
    /// </summary>
    public bool SetFieldInEmarsys(string keyFieldId, string keyValue, string fieldId, string? value)
    {
        lock (_gate)
        {
            var found = _store.Find(keyFieldId, keyValue);
            if (found.Count == 0 || !Fields.TryGet(fieldId, out var field))
            {
                return false;
            }

            _store.Set(found[0], field.Key, value);
            return true;
        }
    }

    /// <summary>Makes every write of the contact with this key value fail per item with the code and message.</summary>
    public void RejectKey(string keyValue, int code, string message)
    {
        lock (_gate)
        {
            _rejections[keyValue] = (code, message);
        }
    }

    /// <summary>Removes every <see cref="RejectKey"/> rule.</summary>
    public void ClearRejections()
    {
        lock (_gate)
        {
            _rejections.Clear();
        }
    }

    /// <summary>Zeroes <see cref="RequestCount"/> and <see cref="ContactWriteRequests"/>.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _contactWriteRequests, 0);
    }

    /// <summary>Removes every contact.</summary>
    public void ClearContacts()
    {
        lock (_gate)
        {
            _store.Clear();
        }
    }

    /// <summary>Maps the API under the given route group (the sandbox prefixes it with <c>/emarsys</c>).</summary>
    public void Map(IEndpointRouteBuilder routes) => routes.Map("/{**path}", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var response = context.Response;
        response.Headers.Date = Time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);

        var fault = await Faults.InterceptAsync(context, () => InjectedRateLimit(context), InjectedServerError);
        if (fault is not null)
        {
            await fault.ExecuteAsync(context);
            return;
        }

        // The sales-data and catalogue endpoints live on another host with its own static bearer token, outside WSSE and the API user's limit.
        if (IsSalesDataPath(RoutePath(context), out var merchantId))
        {
            await SalesDataAsync(context, merchantId);
            return;
        }

        if (IsCatalogPath(RoutePath(context), out var catalogMerchantId))
        {
            await CatalogUploadAsync(context, catalogMerchantId);
            return;
        }

        // Any other path under hapi/ is on the upload host, which knows no WSSE: it is simply not there (a base URL that already
        // ends in /hapi doubles the path).
        if (RoutePath(context).Contains("hapi/", StringComparison.Ordinal))
        {
            await PlainAsync(context, StatusCodes.Status404NotFound, "Not found");
            return;
        }

        var header = context.Request.Headers["X-WSSE"].ToString();
        if (header.Length == 0)
        {
            header = context.Request.Headers["WSSE"].ToString();
        }

        if (!_wsse.TryAuthenticate(header, out var user, out var failure))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, 1, failure);
            return;
        }

        if (_limiter.TryTake(user) is { } rate)
        {
            response.Headers["X-Ratelimit-Limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Ratelimit-Remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Ratelimit-Reset"] = rate.ResetEpochSeconds.ToString(CultureInfo.InvariantCulture);
            if (!rate.Allowed)
            {
                await WriteRateLimitedAsync(context, rate.ResetEpochSeconds);
                return;
            }
        }

        await DispatchAsync(context);
    }

    private Task DispatchAsync(HttpContext context)
    {
        var path = RoutePath(context);
        var method = context.Request.Method;
        switch (path)
        {
            case "api/v2/contact":
                if (HttpMethods.IsPut(method) || HttpMethods.IsPost(method))
                {
                    var writes = Interlocked.Increment(ref _contactWriteRequests);
                    ContactWriteObserved?.Invoke(writes);
                    return WriteContactsAsync(context, create: HttpMethods.IsPost(method));
                }

                break;
            case "api/v2/contact/getdata":
                if (HttpMethods.IsPost(method))
                {
                    return GetDataAsync(context);
                }

                break;
            case "api/v2/contact/delete":
                if (HttpMethods.IsPost(method))
                {
                    return DeleteAsync(context);
                }

                break;
            case "api/v2/settings":
                if (HttpMethods.IsGet(method))
                {
                    return SettingsAsync(context);
                }

                break;
            default:
                if (IsContactListPath(path, out var listId, out var listOperation))
                {
                    if (HttpMethods.IsPost(method))
                    {
                        return ContactListAsync(context, listId, listOperation);
                    }

                    break;
                }

                if (IsTriggerPath(path, out var eventId))
                {
                    if (HttpMethods.IsPost(method))
                    {
                        return TriggerAsync(context, eventId);
                    }

                    break;
                }

                if (path == "api/v2/field" || path.StartsWith("api/v2/field/translate/", StringComparison.Ordinal))
                {
                    if (HttpMethods.IsGet(method))
                    {
                        return FieldsAsync(context);
                    }

                    break;
                }

                return WriteErrorAsync(context, StatusCodes.Status404NotFound, 404, "Not found");
        }

        return WriteErrorAsync(context, StatusCodes.Status501NotImplemented, 501, "This feature has not been implemented yet");
    }

    private static string RoutePath(HttpContext context) => (context.Request.RouteValues["path"] as string ?? string.Empty).Trim('/');

    private IResult InjectedRateLimit(HttpContext context)
    {
        var reset = Time.GetUtcNow().AddSeconds(Faults.Options.RetryAfterSeconds).ToUnixTimeSeconds();
        context.Response.Headers["X-Ratelimit-Limit"] = Options.RequestsPerMinute.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Ratelimit-Remaining"] = "0";
        context.Response.Headers["X-Ratelimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
        return new RateLimitedResult(this, reset);
    }

    /// <summary>The 429 answer in the shape <see cref="EmarsysEmulatorOptions.RateLimitAnswer"/> names.</summary>
    private Task WriteRateLimitedAsync(HttpContext context, long resetEpochSeconds)
    {
        if (Options.RateLimitAnswer == EmarsysRateLimitAnswer.PlainText)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("Too many requests", context.RequestAborted);
        }

        var seconds = Math.Max(1, resetEpochSeconds - Time.GetUtcNow().ToUnixTimeSeconds());
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, 2011, "Too many requests");
    }

    private sealed class RateLimitedResult(EmarsysEmulator emulator, long resetEpochSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => emulator.WriteRateLimitedAsync(httpContext, resetEpochSeconds);
    }

    private IResult InjectedServerError() =>
        Results.Text("""{"replyCode":2011,"replyText":"Database connection error","data":""}""", Options.JsonContentType,
            statusCode: StatusCodes.Status500InternalServerError);
}
