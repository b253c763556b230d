using System.Net.Http.Headers;
using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Client of the Dotdigital API (v2 account, programs and data fields; v3 contacts and Insight data). Basic auth is added by
/// <see cref="DotdigitalAuthHandler"/>. The account's region is discovered through <c>GET /v2/account-info</c> on the bootstrap
/// URL and cached; a 401 on the discovered endpoint discovers it once more and repeats the call. Failures become
/// <see cref="DotdigitalException"/>. It does not retry otherwise: writes are retried by the engine's durable outbox.
/// </summary>
public sealed partial class DotdigitalClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly DotdigitalClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private Uri? _endpoint;
    private DotdigitalRateLimit? _lastRateLimit;

    /// <summary>
    /// Creates the client over an <see cref="HttpClient"/> whose pipeline includes <see cref="DotdigitalAuthHandler"/>
    /// (see <c>CreateHttpClient</c>, which the module's factory uses).
    /// </summary>
    public DotdigitalClient(HttpClient http, DotdigitalClientOptions options, TimeProvider time)
        : this(http, options, time, null)
    {
    }

    /// <summary>
    /// Creates the client over an <see cref="HttpClient"/> whose pipeline includes <see cref="DotdigitalAuthHandler"/> and a
    /// <see cref="DotdigitalRateLimitHandler"/> drawing from <paramref name="budget"/> (reported as <see cref="Budget"/>).
    /// </summary>
    public DotdigitalClient(HttpClient http, DotdigitalClientOptions options, TimeProvider time, DotdigitalCallBudget? budget)
    {
        options.Validate();
        Budget = budget;
        _http = http;
        _options = options;
        _time = time;
        _endpoint = options.ApiEndpoint is { } fixedEndpoint ? WithSlash(fixedEndpoint) : null;
    }

    /// <summary>The call budget every request of this client draws from (calls made per tier); null when none was given.</summary>
    public DotdigitalCallBudget? Budget { get; }

    /// <summary>The rate-limit headers of the latest answer that carried them.</summary>
    public DotdigitalRateLimit? LastRateLimit => Volatile.Read(ref _lastRateLimit);

    /// <summary>The discovered (or configured) API endpoint; null before the first call.</summary>
    public Uri? ApiEndpoint => Volatile.Read(ref _endpoint);

    /// <summary>An <see cref="HttpClient"/> that authenticates every attempt, over <paramref name="inner"/> (or a pooled socket handler).</summary>
    public static HttpClient CreateHttpClient(DotdigitalClientOptions options, HttpMessageHandler? inner = null) =>
        CreateHttpClient(options, null, inner);

    /// <summary>
    /// An <see cref="HttpClient"/> that authenticates every attempt and, when <paramref name="budget"/> is given, draws every request
    /// from it (see <see cref="DotdigitalRateLimitHandler"/>).
    /// </summary>
    public static HttpClient CreateHttpClient(DotdigitalClientOptions options, DotdigitalCallBudget? budget, HttpMessageHandler? inner)
    {
        var transport = inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(new DotdigitalAuthHandler(options)
        {
            InnerHandler = budget is null ? transport : new DotdigitalRateLimitHandler(budget) { InnerHandler = transport },
        });
    }

    /// <summary>The account's properties, read from the bootstrap URL (<c>GET /v2/account-info</c>).</summary>
    public async Task<DotdigitalAccountInfo> GetAccountInfoAsync(CancellationToken cancellationToken)
    {
        var answer = await SendOnceAsync(WithSlash(_options.BootstrapUrl), HttpMethod.Get, "v2/account-info", null, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.DotdigitalAccountInfo) ?? new DotdigitalAccountInfo();
    }

    /// <summary>The account's API endpoint: the configured one, or the cached discovery, or a new discovery.</summary>
    public async Task<Uri> GetApiEndpointAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _endpoint) is { } known)
        {
            return known;
        }

        await _discovery.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _endpoint) is { } raced)
            {
                return raced;
            }

            var info = await GetAccountInfoAsync(cancellationToken);
            var value = info.Property("ApiEndpoint");
            if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
            {
                throw new DotdigitalException(FailureKind.Config,
                    "Dotdigital account-info named no ApiEndpoint: check BootstrapUrl (normally " + DotdigitalClientOptions.DefaultBootstrapUrl + ")");
            }

            var discovered = WithSlash(endpoint);
            Volatile.Write(ref _endpoint, discovered);
            return discovered;
        }
        finally
        {
            _discovery.Release();
        }
    }

    /// <summary>The account's contact data fields (<c>GET /v2/data-fields</c>).</summary>
    public async Task<IReadOnlyList<DotdigitalDataField>> GetDataFieldsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "v2/data-fields", null, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.ListDotdigitalDataField) ?? [];
    }

    /// <summary>Calls the account's endpoint; on a 401 after discovery, discovers once more and repeats the call.</summary>
    private async Task<Answer> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var endpoint = await GetApiEndpointAsync(cancellationToken);
        try
        {
            return await SendOnceAsync(endpoint, method, path, body, cancellationToken);
        }
        catch (DotdigitalException ex) when (ex.StatusCode == 401 && _options.ApiEndpoint is null)
        {
            // The account may have moved region, or the cached endpoint is stale: discover through r1 again.
            Interlocked.CompareExchange(ref _endpoint, null, endpoint);
            var again = await GetApiEndpointAsync(cancellationToken);
            return await SendOnceAsync(again, method, path, body, cancellationToken);
        }
    }

    private async Task<Answer> SendOnceAsync(Uri endpoint, HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint, path));
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var what = $"{method} {PathForMessage(path)}";
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var now = _time.GetUtcNow();
            if (DotdigitalRateLimit.Read(response, now) is { } rate)
            {
                Volatile.Write(ref _lastRateLimit, rate);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
            if (response.IsSuccessStatusCode)
            {
                return new Answer((int)response.StatusCode, bytes);
            }

            throw Failure(response, bytes, what, now);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DotdigitalException(FailureKind.Transient,
                $"Dotdigital did not answer {what} within {_options.RequestTimeout.TotalSeconds:0} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DotdigitalException(FailureKind.Transient, $"Dotdigital could not be reached for {what}: {ex.HttpRequestError}",
                statusCode: ex.StatusCode is { } s ? (int)s : null, inner: ex);
        }
    }

    private static DotdigitalException Failure(HttpResponseMessage response, byte[] body, string what, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var error = TryParse(body, DotdigitalJsonContext.Default.DotdigitalErrorBody);
        // v3 names a code; v2 hides an ERROR_ token in its message. 401 bodies may be empty or plain text.
        var code = error?.ErrorCode ?? DotdigitalErrors.V2Code(error?.Message);
        var kind = DotdigitalErrors.ForCall(status, code);
        TimeSpan? retryAfter = kind == FailureKind.RateLimited
            ? code == "ERROR_ENROLMENT_ALLOWANCE_EXCEEDED" ? DotdigitalErrors.EnrolmentAllowanceWait : DotdigitalErrors.RateLimitWait(response, now)
            : null;
        var text = error?.Description ?? error?.Message ?? response.ReasonPhrase;
        var codeText = code is null ? string.Empty : $" {code}";
        var message = $"Dotdigital answered {status}{codeText} to {what}"
            + (string.IsNullOrWhiteSpace(text) ? string.Empty : $": {DotdigitalErrors.MaskPersonalData(text)}");
        return new DotdigitalException(kind, message, status, code, RequestId(response), retryAfter);
    }

    // Paths carry identifier values (emails): keep only the resource part in messages.
    private static string PathForMessage(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var bare = query < 0 ? path : path[..query];
        var parts = bare.Split('/');
        return parts.Length > 3 && parts[0] is "contacts" or "insightData"
            ? string.Join('/', parts.Take(3)) + "/…"
            : bare;
    }

    private static T? Read<T>(Answer answer, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        var value = TryParse(answer.Body, type);
        if (value is null && answer.Body.Length > 0)
        {
            throw new DotdigitalException(FailureKind.Transient, $"Dotdigital answered {answer.Status} with an unreadable body", answer.Status);
        }

        return value;
    }

    private static T? TryParse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;

    private static Uri WithSlash(Uri uri) => new(uri.ToString().TrimEnd('/') + "/");

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private readonly record struct Answer(int Status, byte[] Body);
}
