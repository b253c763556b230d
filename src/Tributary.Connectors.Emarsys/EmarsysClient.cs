using System.Net.Http.Headers;
using System.Text.Json;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Client of the Emarsys Core API v2. Signing happens in <see cref="EmarsysWsseHandler"/>; this type builds requests, reads
/// the envelope whatever the content type says, and turns failures into <see cref="EmarsysException"/>. It does not retry:
/// writes are retried by the engine's durable outbox.
/// </summary>
public sealed partial class EmarsysClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly EmarsysClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _base;
    private readonly Uri _salesBase;
    private EmarsysRateLimit? _lastRateLimit;

    /// <summary>
    /// Creates the client over an <see cref="HttpClient"/> whose pipeline includes <see cref="EmarsysWsseHandler"/>
    /// (see <c>CreateHttpClient</c>, which the module's factory uses).
    /// </summary>
    public EmarsysClient(HttpClient http, EmarsysClientOptions options, TimeProvider time)
    {
        options.Validate();
        _http = http;
        _options = options;
        _time = time;
        // The request timeout runs on the TimeProvider (see SendAsync), so tests control it.
        _base = new Uri(options.ApiUrl.ToString().TrimEnd('/') + "/");
        _salesBase = new Uri(options.SalesDataUrl.ToString().TrimEnd('/') + "/");
    }

    /// <summary>The API host asked (scheme and authority), for messages.</summary>
    public string ApiHost => _base.GetLeftPart(UriPartial.Authority);

    /// <summary>The rate-limit headers of the latest answer that carried them.</summary>
    public EmarsysRateLimit? LastRateLimit => Volatile.Read(ref _lastRateLimit);

    /// <summary>An <see cref="HttpClient"/> that signs every attempt, over <paramref name="inner"/> (or a pooled socket handler).</summary>
    public static HttpClient CreateHttpClient(EmarsysClientOptions options, TimeProvider time, HttpMessageHandler? inner = null) =>
        CreateHttpClient(options, time, budget: null, inner);

    /// <summary>
    /// An <see cref="HttpClient"/> that draws every request from <paramref name="budget"/> (when given) and then signs it: the
    /// account's limit counts requests, whichever kind of call each one is (contacts, one trigger call per event id, sales-data
    /// uploads, reads), and the WSSE timestamp is taken after any wait for the budget.
    /// </summary>
    public static HttpClient CreateHttpClient(EmarsysClientOptions options, TimeProvider time, RateBudget? budget, HttpMessageHandler? inner)
    {
        HttpMessageHandler handler = new EmarsysWsseHandler(options, time)
        {
            InnerHandler = inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        if (budget is not null)
        {
            handler = new BudgetHandler(budget) { InnerHandler = handler };
        }

        return new HttpClient(handler);
    }

    /// <summary>Account settings; the cheapest authenticated call, used as the connectivity check.</summary>
    public async Task<EmarsysSettings> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/v2/settings", null, cancellationToken);
        var data = answer.Data;
        return new EmarsysSettings(ReadString(data, "name"), ReadString(data, "environment"), answer.ServerTime, data);
    }

    /// <summary>Every contact field of the account (system and custom).</summary>
    public async Task<IReadOnlyList<EmarsysFieldInfo>> GetFieldsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/v2/field", null, cancellationToken);
        return answer.Data.ValueKind == JsonValueKind.Array
            ? answer.Data.Deserialize(EmarsysJsonContext.Default.ListEmarsysFieldInfo) ?? []
            : [];
    }

    private async Task<Answer> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var now = _time.GetUtcNow();
            if (EmarsysRateLimit.Read(response, now) is { } rate)
            {
                Volatile.Write(ref _lastRateLimit, rate);
            }

            var body = await response.Content.ReadAsByteArrayAsync(linked.Token);
            var envelope = TryParseEnvelope(body);
            var status = response.StatusCode;
            if (response.IsSuccessStatusCode && envelope is { ReplyCode: 0 })
            {
                return new Answer(envelope.Data.Clone(), response.Headers.Date);
            }

            throw Failure(response, envelope, now, request.RequestUri!);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmarsysException(FailureKind.Transient,
                $"Emarsys did not answer {method} {path} within {_options.RequestTimeout.TotalSeconds:0} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EmarsysException(FailureKind.Transient, $"Emarsys could not be reached for {method} {path}: {ex.HttpRequestError}",
                statusCode: ex.StatusCode is { } s ? (int)s : null, inner: ex);
        }
    }

    private EmarsysException Failure(HttpResponseMessage response, EmarsysEnvelope? envelope, DateTimeOffset now, Uri requested)
    {
        var status = (int)response.StatusCode;
        int? replyCode = envelope is null ? null : envelope.ReplyCode;
        if (response.IsSuccessStatusCode && envelope is null)
        {
            // A 2xx without a readable envelope: a proxy or a half-written answer; trying again is the only remedy.
            return new EmarsysException(FailureKind.Transient, $"Emarsys answered {status} with an unreadable body", status,
                requestId: RequestId(response));
        }

        var kind = EmarsysErrors.ForCall(status, replyCode);
        TimeSpan? retryAfter = kind == FailureKind.RateLimited ? EmarsysErrors.RateLimitWait(response, now) : null;
        var text = envelope?.ReplyText ?? (status == 429 ? "Too many requests" : response.ReasonPhrase);
        if (status == 404 && kind == FailureKind.Config)
        {
            return new EmarsysException(kind, $"Emarsys answered 404 at {requested.GetLeftPart(UriPartial.Path)}: no such endpoint there. "
                + $"Fix: {ApiUrlFix()}, "
                + "then run `./tributary check --config <file>`", status, replyCode, RequestId(response));
        }

        return new EmarsysException(kind, EmarsysErrors.Describe(response.StatusCode, replyCode, text), status, replyCode,
            RequestId(response), retryAfter);
    }

    private static EmarsysEnvelope? TryParseEnvelope(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            // Parsed whatever Content-Type says: the API has sent JSON as text/html.
            var envelope = JsonSerializer.Deserialize(body, EmarsysJsonContext.Default.EmarsysEnvelope);
            return envelope is not null && (envelope.ReplyText is not null || envelope.Data.ValueKind != JsonValueKind.Undefined)
                ? envelope
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;

    private static string? ReadString(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private readonly record struct Answer(JsonElement Data, DateTimeOffset? ServerTime);
}
