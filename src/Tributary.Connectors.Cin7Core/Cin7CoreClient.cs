using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Tributary.Connectors.Cin7Core.Api;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

/// <summary>A server time read from a <c>Date</c> header, and the local time it was read at.</summary>
/// <param name="Server">The server's time (whole seconds).</param>
/// <param name="LocalAt">The local clock when it was read.</param>
public sealed record Cin7CoreServerDate(DateTimeOffset Server, DateTimeOffset LocalAt);

/// <summary>
/// HTTP client of one Cin7 Core account's External API v2: the <c>api-auth-accountid</c> and <c>api-auth-applicationkey</c>
/// headers on every call, a client-side budget pacing calls at the account's 60 per minute (shared by every call of this
/// client), rate-limited answers (503, sometimes 429) paused and retried rather than treated as outages, retries with backoff
/// for transient failures, and the server clock from the <c>Date</c> header.
/// </summary>
public sealed partial class Cin7CoreClient : IDisposable
{
    /// <summary>Header carrying the account id.</summary>
    public const string AccountIdHeader = "api-auth-accountid";

    /// <summary>Header carrying the application key.</summary>
    public const string ApplicationKeyHeader = "api-auth-applicationkey";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly string _base;
    private long _requests;
    private long _rateLimited;
    private Cin7CoreServerDate? _lastServerDate;

    /// <summary>Creates a client over <paramref name="http"/> (which it does not dispose).</summary>
    public Cin7CoreClient(HttpClient http, Cin7CoreClientOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal Cin7CoreClient(HttpClient http, Cin7CoreClientOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.AccountId) || string.IsNullOrWhiteSpace(options.ApplicationKey))
        {
            throw new ArgumentException("AccountId and ApplicationKey are required.", nameof(options));
        }

        _http = http;
        _ownsHttp = ownsHttp;
        _time = timeProvider;
        Options = options;
        _base = options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/";
        Budget = new RateBudget("cin7core", options.EffectiveRequestsPerMinute, timeProvider, burst: Math.Max(1, options.RateBurst));
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <summary>The settings.</summary>
    public Cin7CoreClientOptions Options { get; }

    /// <summary>The clock of this client (budget, retries, read times).</summary>
    public TimeProvider Time => _time;

    /// <summary>The request budget every attempt takes a permit from.</summary>
    public RateBudget Budget { get; }

    /// <summary>HTTP requests sent (every attempt).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Rate-limited answers received (503 or 429).</summary>
    public long RateLimitedAnswers => Interlocked.Read(ref _rateLimited);

    /// <summary>The last server time seen in a <c>Date</c> header.</summary>
    public Cin7CoreServerDate? LastServerDate => Volatile.Read(ref _lastServerDate);

    /// <summary>
    /// The platform's clock: the <c>Date</c> header of <c>GET /me</c>. The header has whole seconds, so this is at most one
    /// second behind the server, the safe side for the upper bound of a read window.
    /// </summary>
    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellationToken)
    {
        var before = LastServerDate;
        await GetMeAsync(cancellationToken);
        var after = LastServerDate;
        return after is not null && !ReferenceEquals(after, before)
            ? after.Server
            : throw new Cin7CoreException(FailureKind.Transient, "Cin7 Core answered without a Date header, so the server clock is unknown.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// Sends one GET through retry → budget → auth headers and reads the JSON answer. With <paramref name="notFoundAsNull"/> a
    /// 404 gives null instead of an exception.
    /// </summary>
    private async Task<T?> GetAsync<T>(string path, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<T> type, string operation,
        bool notFoundAsNull, CancellationToken cancellationToken)
        where T : class
    {
        var url = BuildUrl(path, query);
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                await Budget.AcquireAsync(ct);
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation(AccountIdHeader, Options.AccountId);
                request.Headers.TryAddWithoutValidation(ApplicationKeyHeader, Options.ApplicationKey);
                request.Headers.Accept.ParseAdd("application/json");
                Interlocked.Increment(ref _requests);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.Headers.Date is { } date)
                {
                    Volatile.Write(ref _lastServerDate, new Cin7CoreServerDate(date, _time.GetUtcNow()));
                }

                var error = await ErrorReader.ReadAsync(response, operation, Options.RateLimitedWait, ct);
                if (error is not null)
                {
                    if (error.Kind == FailureKind.NotFound && notFoundAsNull)
                    {
                        return null;
                    }

                    if (error.Kind == FailureKind.RateLimited)
                    {
                        Interlocked.Increment(ref _rateLimited);
                        Budget.PauseUntil(_time.GetUtcNow() + Options.RateLimitedWait);
                    }

                    throw error;
                }

                return await ReadAsync(response, type, operation, ct);
            }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new Cin7CoreException(FailureKind.Transient,
                $"Cin7 Core could not be reached at {Options.BaseUrl.Host} to read {operation} after {Options.MaxRetries + 1} attempts: {e.Message}",
                inner: e);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var trimmed = body.AsSpan().TrimStart(" \t\r\n"u8);
        // Some endpoints report failures inside a 200: an array of {ErrorCode, Exception} or an Errors list.
        if (!trimmed.IsEmpty && trimmed[0] == (byte)'[' && ErrorReader.FirstError(trimmed) is { Code: not null } inner)
        {
            var kind = Cin7CoreException.Classify((int)response.StatusCode, inner.Code);
            throw new Cin7CoreException(kind, $"Cin7 Core reported an error inside HTTP {(int)response.StatusCode} to {operation}: {inner.Message}",
                (int)response.StatusCode, inner.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            return JsonSerializer.Deserialize(body, type)
                   ?? throw new Cin7CoreException(FailureKind.Transient, $"Cin7 Core answered {operation} with an empty body.", (int)response.StatusCode);
        }
        catch (JsonException e)
        {
            throw new Cin7CoreException(FailureKind.Transient, $"Cin7 Core answered {operation} with a body that is not the expected JSON.",
                (int)response.StatusCode, inner: e);
        }
    }

    private Uri BuildUrl(string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var sb = new StringBuilder(_base).Append(path.TrimStart('/'));
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return new Uri(sb.ToString());
    }
}
