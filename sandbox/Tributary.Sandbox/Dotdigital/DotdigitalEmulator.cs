using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Dotdigital;

/// <summary>
/// Emulates the Dotdigital API subset Tributary uses: Basic auth, region discovery through account-info, the tiered per-minute
/// limits with their headers, contacts v3 (PATCH, GET, bulk import with status), Insight data v3 (record PUT, bulk import with
/// status, schema lock-in), programs and enrolments, and the v2 data-field list.
/// </summary>
public sealed partial class DotdigitalEmulator
{
    private static readonly string[] Regions = ["r1", "r2", "r3"];

    private readonly object _gate = new();
    private readonly DotdigitalRateLimiter _limiter;
    private readonly DotdigitalContactStore _contacts;
    private readonly DotdigitalInsightStore _insight = new();
    private readonly Dictionary<string, (string Code, string Description)> _rejections = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _expectedAuth;
    private long _requestCount;

    /// <summary>Creates the emulator.</summary>
    public DotdigitalEmulator(DotdigitalEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        _limiter = new DotdigitalRateLimiter(options, time);
        _contacts = new DotdigitalContactStore(time);
        _expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ApiUser}:{options.Password}"));
    }

    /// <summary>The settings it was created with.</summary>
    public DotdigitalEmulatorOptions Options { get; }

    /// <summary>The emulator's clock (rate-limit windows, enrolment allowance).</summary>
    public TimeProvider Time { get; }

    /// <summary>Fault injection for this emulator.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Every request received, including rejected ones.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>A snapshot of every contact, by contact id.</summary>
    public IReadOnlyList<DotdigitalContactState> Contacts
    {
        get
        {
            lock (_gate)
            {
                return _contacts.All.OrderBy(c => c.ContactId).Select(c => c.Copy()).ToList();
            }
        }
    }

    /// <summary>A snapshot of every Insight collection, by name.</summary>
    public IReadOnlyDictionary<string, DotdigitalCollection> Collections
    {
        get
        {
            lock (_gate)
            {
                return _insight.Snapshot().ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>The contact with this email (case-insensitive), or null.</summary>
    public DotdigitalContactState? FindContact(string email)
    {
        lock (_gate)
        {
            return _contacts.ByEmail(email)?.Copy();
        }
    }

    /// <summary>Makes every write of the contact with this email fail with the code and description (per item in imports).</summary>
    public void RejectEmail(string email, string code = "invalidEmail", string description = "Invalid value for 'email'")
    {
        lock (_gate)
        {
            _rejections[email.Trim()] = (code, description);
        }
    }

    /// <summary>Creates a contact as a Dotdigital sign-up form or the marketing team's own import would; answers its id.</summary>
    public long AddContact(string email, string emailStatus)
    {
        lock (_gate)
        {
            var outcome = _contacts.Upsert(new ContactInput(email, [], emailStatus, ResubscribeWithNoChallenge: true, []), "overwrite", Options.DataFields);
            return outcome.Contact?.ContactId ?? throw new InvalidOperationException(outcome.Error ?? "not created");
        }
    }

    /// <summary>Sets a contact's email status as if the person acted in Dotdigital (an unsubscribe link, a suppression).</summary>
    public void SetEmailStatus(string email, string status)
    {
        lock (_gate)
        {
            (_contacts.ByEmail(email) ?? throw new InvalidOperationException("no such contact")).EmailStatus = status;
        }
    }

    /// <summary>Sets a contact's SMS status as if the person acted in Dotdigital (a STOP reply, an SMS unsubscribe, a form).</summary>
    public void SetSmsStatus(string email, string status)
    {
        lock (_gate)
        {
            (_contacts.ByEmail(email) ?? throw new InvalidOperationException("no such contact")).SmsStatus = status;
        }
    }

    /// <summary>Zeroes <see cref="RequestCount"/>.</summary>
    public void ResetCounters() => Interlocked.Exchange(ref _requestCount, 0);

    /// <summary>Maps the API under the given route group (the sandbox prefixes it with <c>/dotdigital</c>).</summary>
    public void Map(IEndpointRouteBuilder routes) => routes.Map("/{**path}", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var fault = await Faults.InterceptAsync(context, () => InjectedRateLimit(context), InjectedServerError);
        if (fault is not null)
        {
            await fault.ExecuteAsync(context);
            return;
        }

        if (!string.Equals(context.Request.Headers.Authorization.ToString(), _expectedAuth, StringComparison.Ordinal))
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status401Unauthorized, "Authorization has been denied for this request.");
            return;
        }

        var path = (context.Request.RouteValues["path"] as string ?? string.Empty).Trim('/');
        var region = "r1";
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];
        if (Regions.Contains(first, StringComparer.OrdinalIgnoreCase))
        {
            region = first.ToLowerInvariant();
            path = slash < 0 ? string.Empty : path[(slash + 1)..];
        }

        var method = context.Request.Method;
        if (path == "v2/account-info" && HttpMethods.IsGet(method))
        {
            // Answered on every region; r1 is where clients must ask.
            await WithTierAsync(context, DotdigitalTier.High, () => AccountInfoAsync(context));
            return;
        }

        if (!string.Equals(region, Options.Region, StringComparison.OrdinalIgnoreCase))
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status401Unauthorized, "Authorization has been denied for this request.");
            return;
        }

        var segments = path.Split('/').Select(Uri.UnescapeDataString).ToArray();
        var (tier, handler) = Route(context, method, segments);
        if (handler is null)
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status404NotFound, "No HTTP resource was found that matches the request URI.");
            return;
        }

        await WithTierAsync(context, tier, handler);
    }

    private (DotdigitalTier Tier, Func<Task>? Handler) Route(HttpContext context, string method, string[] s) => (method, s) switch
    {
        ("PATCH", ["contacts", "v3", var id, var value]) => (DotdigitalTier.Medium, () => PatchContactAsync(context, id, value)),
        ("GET", ["contacts", "v3", "import", var importId]) => (DotdigitalTier.Unlimited, () => ContactImportStatusAsync(context, importId)),
        ("PUT", ["contacts", "v3", "import"]) => (DotdigitalTier.Low, () => ContactImportAsync(context)),
        ("GET", ["contacts", "v3", var id, var value]) => (DotdigitalTier.High, () => GetContactAsync(context, id, value)),
        ("DELETE", ["contacts", "v3", var id, var value]) => (DotdigitalTier.Medium, () => DeleteContactAsync(context, id, value)),
        ("PUT", ["insightData", "v3", "import"]) => (DotdigitalTier.Low, () => InsightImportAsync(context)),
        ("GET", ["insightData", "v3", "import", var importId]) => (DotdigitalTier.Unlimited, () => InsightImportStatusAsync(context, importId)),
        ("PUT", ["insightData", "v3", "contacts", var id, var value, var collection, var key]) =>
            (DotdigitalTier.Medium, () => PutRecordAsync(context, collection, key, id, value)),
        ("PUT", ["insightData", "v3", "account", var collection, var key]) => (DotdigitalTier.Medium, () => PutRecordAsync(context, collection, key, null, null)),
        ("POST", ["v2", "programs", "enrolments"]) => (DotdigitalTier.Medium, () => EnrolAsync(context)),
        ("GET", ["v2", "programs"]) => (DotdigitalTier.High, () => ProgramsAsync(context)),
        ("DELETE", ["v2", "address-books", var list, "contacts", var contact]) => (DotdigitalTier.Medium, () => RemoveFromAddressBookAsync(context, list, contact)),
        ("GET", ["v2", "data-fields"]) => (DotdigitalTier.High, () => DataFieldsAsync(context)),
        ("GET", ["v2", "contacts", "unsubscribed-since", var date]) => (DotdigitalTier.High, () => OptOutsSinceAsync(context, date, suppressed: false)),
        ("GET", ["v2", "contacts", "suppressed-since", var date]) => (DotdigitalTier.High, () => OptOutsSinceAsync(context, date, suppressed: true)),
        _ => (DotdigitalTier.Unlimited, null),
    };

    private async Task WithTierAsync(HttpContext context, DotdigitalTier tier, Func<Task> handler)
    {
        if (_limiter.TryTake(tier) is { } rate)
        {
            WriteRateHeaders(context, rate.Limit, rate.Remaining, rate.ResetAt, rate.Scope);
            if (!rate.Allowed)
            {
                await WriteV3ErrorAsync(context, StatusCodes.Status429TooManyRequests, "tooManyRequests",
                    "The call rate limit for this tier was exceeded");
                return;
            }
        }

        await handler();
    }

    private void WriteRateHeaders(HttpContext context, int limit, int remaining, DateTimeOffset resetAt, string scope)
    {
        var now = Time.GetUtcNow();
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (Options.ResetAsEpoch
            ? resetAt.ToUnixTimeSeconds()
            : (long)Math.Ceiling(Math.Max(0, (resetAt - now).TotalSeconds))).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = scope;
    }

    private Task AccountInfoAsync(HttpContext context)
    {
        // The endpoint points back at this emulator: the request's base (prefix included) plus the account's region.
        var request = context.Request;
        var full = request.PathBase.Add(request.Path).Value ?? string.Empty;
        var root = full[..full.LastIndexOf("/v2/account-info", StringComparison.OrdinalIgnoreCase)];
        foreach (var region in Regions)
        {
            if (root.EndsWith("/" + region, StringComparison.OrdinalIgnoreCase))
            {
                root = root[..^(region.Length + 1)];
            }
        }

        var endpoint = $"{request.Scheme}://{request.Host}{root}/{Options.Region}";
        return WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("id", 123456);
            json.WriteStartArray("properties");
            WriteProperty(json, "MainEmail", "owner@sandbox.example");
            WriteProperty(json, "ApiEndpoint", endpoint);
            WriteProperty(json, "APILocale", "en-GB");
            json.WriteEndArray();
            json.WriteEndObject();
        });

        static void WriteProperty(Utf8JsonWriter json, string name, string value)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("type", "String");
            json.WriteString("value", value);
            json.WriteEndObject();
        }
    }

    private Task DataFieldsAsync(HttpContext context) => WriteJsonAsync(context, StatusCodes.Status200OK, json =>
    {
        json.WriteStartArray();
        foreach (var (name, type) in Options.DataFields)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("type", type);
            json.WriteString("visibility", "Private");
            json.WriteNull("defaultValue");
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private IResult InjectedRateLimit(HttpContext context)
    {
        var reset = Time.GetUtcNow().AddSeconds(Faults.Options.RetryAfterSeconds);
        WriteRateHeaders(context, Options.LowTierPerMinute, 0, reset, DotdigitalRateLimiter.Scope(DotdigitalTier.Low));
        return Results.Text("""{"errorCode":"tooManyRequests","description":"The call rate limit for this tier was exceeded"}""",
            "application/json; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static IResult InjectedServerError() =>
        Results.Text("""{"message":"An error has occurred."}""", "application/json; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);

    private static Task WriteV2ErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteEndObject();
        });

    private static Task WriteV3ErrorAsync(HttpContext context, int status, string code, string description, string? item = null) =>
        WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("errorCode", code);
            json.WriteString("description", description);
            json.WriteStartArray("details");
            if (item is not null)
            {
                json.WriteStartObject();
                json.WriteString("item", item);
                json.WriteString("description", description);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
