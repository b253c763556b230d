using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Tributary.Connectors.Centra.Api;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Centra;

/// <summary>A server time read from a <c>Date</c> header, and the local time it was read at.</summary>
/// <param name="Server">The server's time (whole seconds).</param>
/// <param name="LocalAt">The local clock when it was read.</param>
public sealed record CentraServerDate(DateTimeOffset Server, DateTimeOffset LocalAt);

/// <summary>One bucket of the account's quotas, as <c>rateLimits</c> reports it.</summary>
/// <param name="Type">REQUEST_COUNT, QUERY_COMPLEXITY or MUTATION_COUNT.</param>
/// <param name="Interval">TEN_SECONDS or ONE_HOUR, as a span.</param>
/// <param name="Quota">Allowed per interval.</param>
/// <param name="Used">Used in the current interval.</param>
/// <param name="Remaining">Left in the current interval.</param>
public sealed record CentraRateLimit(string Type, TimeSpan Interval, long Quota, long Used, long Remaining);

/// <summary>
/// HTTP client of one Centra environment's Integration API: <c>POST /graphql</c> with a bearer token, a client-side token
/// bucket sized from the account's request quota (shared by every call of this client), retries with backoff honouring
/// Retry-After, GraphQL errors inside HTTP 200 classified, and the server clock from the <c>Date</c> header.
/// </summary>
public sealed partial class CentraClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sizing = new(1, 1);
    private volatile RateBudget _budget;
    private volatile bool _sized;
    private long _requests;
    private long _complexity;
    private CentraServerDate? _lastServerDate;

    /// <summary>Creates a client over <paramref name="http"/> (which it does not dispose).</summary>
    public CentraClient(HttpClient http, CentraClientOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal CentraClient(HttpClient http, CentraClientOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new ArgumentException("Token is required.", nameof(options));
        }

        _http = http;
        _ownsHttp = ownsHttp;
        _time = timeProvider;
        Options = options;
        _budget = NewBudget(options.RequestsPerWindow, options.RateWindow);
        _sized = !options.ReadRateLimits;
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <summary>The settings.</summary>
    public CentraClientOptions Options { get; }

    /// <summary>The clock of this client (budget, retries, read times).</summary>
    public TimeProvider Time => _time;

    /// <summary>The request budget every attempt takes a permit from.</summary>
    public RateBudget Budget => _budget;

    /// <summary>HTTP requests sent (every attempt).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Sum of <c>extensions.complexity</c> reported by the answers so far.</summary>
    public long ComplexityUsed => Interlocked.Read(ref _complexity);

    /// <summary>The request quota the budget was sized from, once <c>rateLimits</c> has been read.</summary>
    public CentraRateLimit? RequestQuota { get; private set; }

    /// <summary>The last server time seen in a <c>Date</c> header.</summary>
    public CentraServerDate? LastServerDate => Volatile.Read(ref _lastServerDate);

    /// <summary>
    /// Runs one query and returns its <c>data</c> object (cloned, so it outlives the response). GraphQL errors throw a
    /// classified <see cref="CentraException"/>.
    /// </summary>
    public async Task<JsonElement> ExecuteAsync(string operationName, string query, Action<Utf8JsonWriter>? variables,
        CancellationToken cancellationToken)
    {
        await EnsureSizedAsync(cancellationToken);
        return await SendAsync(operationName, query, variables, cancellationToken);
    }

    /// <summary>The account's quotas (<c>rateLimits</c>).</summary>
    public async Task<IReadOnlyList<CentraRateLimit>> GetRateLimitsAsync(CancellationToken cancellationToken)
    {
        var data = await SendAsync("RateLimits", Queries.RateLimits, null, cancellationToken);
        var limits = new List<CentraRateLimit>();
        if (data.TryGetProperty("rateLimits", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                var interval = Text(item, "intervalSeconds") switch
                {
                    "TEN_SECONDS" => TimeSpan.FromSeconds(10),
                    "ONE_HOUR" => TimeSpan.FromHours(1),
                    _ => TimeSpan.Zero,
                };
                limits.Add(new CentraRateLimit(Text(item, "type") ?? string.Empty, interval, Number(item, "quota"),
                    Number(item, "usedQuota"), Number(item, "remainingQuota")));
            }
        }

        return limits;
    }

    /// <summary>
    /// The platform's clock: the <c>Date</c> header of a cheap call. The header has whole seconds, so this is at most one
    /// second behind the server, the safe side for the upper bound of a read window.
    /// </summary>
    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellationToken)
    {
        var before = LastServerDate;
        await ExecuteAsync("RateLimits", Queries.RateLimits, null, cancellationToken);
        var after = LastServerDate;
        return after is not null && !ReferenceEquals(after, before)
            ? after.Server
            : throw new CentraException(FailureKind.Transient, "Centra answered without a Date header, so the server clock is unknown.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sizing.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// Sizes the bucket from the account's REQUEST_COUNT quota of the short window, once. The request that reads it spends a
    /// permit of the default bucket, and the headroom absorbs it.
    /// </summary>
    private async Task EnsureSizedAsync(CancellationToken cancellationToken)
    {
        if (_sized)
        {
            return;
        }

        await _sizing.WaitAsync(cancellationToken);
        try
        {
            if (_sized)
            {
                return;
            }

            var limits = await GetRateLimitsAsync(cancellationToken);
            var requests = limits.Where(l => l.Type == "REQUEST_COUNT" && l.Interval > TimeSpan.Zero && l.Quota > 0)
                .OrderBy(l => l.Interval).FirstOrDefault();
            if (requests is not null)
            {
                RequestQuota = requests;
                _budget = NewBudget((int)Math.Min(int.MaxValue, requests.Quota), requests.Interval);
            }

            _sized = true;
        }
        finally
        {
            _sizing.Release();
        }
    }

    private RateBudget NewBudget(int quota, TimeSpan window)
    {
        var usable = Math.Max(1, (int)Math.Floor(quota * Math.Clamp(Options.RateHeadroom, 0.1, 1.0)));
        var perMinute = (int)Math.Max(1, Math.Floor(usable * (60.0 / Math.Max(1, window.TotalSeconds))));
        return new RateBudget("centra", perMinute, _time, burst: usable);
    }

    private async Task<JsonElement> SendAsync(string operationName, string query, Action<Utf8JsonWriter>? variables,
        CancellationToken cancellationToken)
    {
        var body = GraphQlBody.Write(operationName, query, variables);
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                var budget = _budget;
                await budget.AcquireAsync(ct);
                using var request = new HttpRequestMessage(HttpMethod.Post, Options.GraphQlUrl);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                Interlocked.Increment(ref _requests);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.Headers.Date is { } date)
                {
                    Volatile.Write(ref _lastServerDate, new CentraServerDate(date, _time.GetUtcNow()));
                }

                var error = await ErrorReader.ReadAsync(response, operationName, _time.GetUtcNow(), ct);
                if (error is not null)
                {
                    if (error.Kind == FailureKind.RateLimited)
                    {
                        budget.PauseUntil(_time.GetUtcNow() + (error.RetryAfter ?? Options.RetryBaseDelay));
                    }

                    throw error;
                }

                return await ReadDataAsync(response, operationName, ct);
            }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CentraException(FailureKind.Transient,
                $"Centra could not be reached at {Options.BaseUrl.Host} to run {operationName} after {Options.MaxRetries + 1} attempts: {e.Message}",
                inner: e);
        }
    }

    private async Task<JsonElement> ReadDataAsync(HttpResponseMessage response, string operationName, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CentraException(FailureKind.Transient, $"Centra answered {operationName} with a body that is not JSON.",
                (int)response.StatusCode, inner: e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CentraException(FailureKind.Transient, $"Centra answered {operationName} with JSON that is not an object.",
                    (int)response.StatusCode);
            }

            if (root.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
                && extensions.TryGetProperty("complexity", out var complexity) && complexity.TryGetInt64(out var cost))
            {
                Interlocked.Add(ref _complexity, cost);
            }

            if (ErrorReader.FromGraphQlErrors(root, (int)response.StatusCode, operationName) is { } error)
            {
                throw error;
            }

            return root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data.Clone()
                : throw new CentraException(FailureKind.Transient, $"Centra answered {operationName} without data or errors.",
                    (int)response.StatusCode);
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
}
