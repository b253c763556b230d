using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools;

/// <summary>A customers query: predicates (ANDed), variables for <c>:name</c> placeholders, sort, page size.</summary>
/// <param name="Where">Predicates; each is sent as its own <c>where</c> parameter.</param>
/// <param name="Variables">Values of <c>:name</c> placeholders, sent as <c>var.name</c>.</param>
/// <param name="Sort">Sort expressions such as <c>id asc</c>.</param>
/// <param name="Limit">Page size, capped at 500.</param>
/// <param name="WithTotal">Ask the platform to count matches (costly on big projects).</param>
public sealed record CustomerQueryRequest(IReadOnlyList<string> Where, IReadOnlyDictionary<string, string>? Variables = null,
    IReadOnlyList<string>? Sort = null, int Limit = CommercetoolsClientOptions.MaxPageSize, bool WithTotal = false);

/// <summary>One record of a page: the customer, or why it could not be read.</summary>
/// <param name="Id">The id, when the record has one.</param>
/// <param name="Customer">The record, when it could be read.</param>
/// <param name="ReadError">Why it could not be read.</param>
public sealed record CustomerRecord(string? Id, CustomerDto? Customer, string? ReadError = null);

/// <summary>A server time read from a <c>Date</c> header, and the local time it was read at.</summary>
/// <param name="Server">The server's time (whole seconds).</param>
/// <param name="LocalAt">The local clock when it was read.</param>
public sealed record ServerDateSample(DateTimeOffset Server, DateTimeOffset LocalAt);

/// <summary>A page of customers.</summary>
/// <param name="Count">Records in the page.</param>
/// <param name="Total">Matches in all, when asked for.</param>
/// <param name="Results">The records, in the order served.</param>
public sealed record CustomerQueryResult(int Count, long? Total, IReadOnlyList<CustomerRecord> Results);

/// <summary>
/// HTTP client of one commercetools project: client-credentials auth with a cached token (one renewal and retry on 401),
/// transient retries with exponential backoff and jitter honouring Retry-After, and the server clock from the Date header.
/// </summary>
public sealed partial class CommercetoolsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TokenCache _tokens;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="http"/> (which it does not dispose).</summary>
    public CommercetoolsClient(HttpClient http, CommercetoolsClientOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal CommercetoolsClient(HttpClient http, CommercetoolsClientOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ProjectKey))
        {
            throw new ArgumentException("ProjectKey is required.", nameof(options));
        }

        _http = http;
        _ownsHttp = ownsHttp;
        Options = options;
        _time = timeProvider;
        _tokens = new TokenCache(http, options, timeProvider);
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <summary>The settings.</summary>
    public CommercetoolsClientOptions Options { get; }

    /// <summary>Access tokens fetched so far.</summary>
    public long TokenFetches => _tokens.Fetches;

    /// <summary>The last server time seen in a <c>Date</c> header, with the local time it was seen at.</summary>
    public ServerDateSample? LastServerDate { get; private set; }

    /// <summary>The scopes the current token carries (fetches a token when needed).</summary>
    public async Task<IReadOnlyList<string>> GetGrantedScopesAsync(CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _tokens.GetScopesAsync(ct), cancellationToken);

    /// <summary>Queries customers.</summary>
    public Task<CustomerQueryResult> QueryCustomersAsync(CustomerQueryRequest query, CancellationToken cancellationToken)
    {
        var uri = Endpoints.Customers(Options, BuildQueryString(query));
        return SendAsync(uri, ErrorContext.Api(Options, "read customers", "view_customers"), ReadPageAsync, allowNotFound: false, cancellationToken)!;
    }

    /// <summary>One customer by id; null when it does not exist.</summary>
    public Task<CustomerRecord?> GetCustomerAsync(string id, CancellationToken cancellationToken)
    {
        var uri = Endpoints.Customer(Options, id);
        return SendAsync(uri, ErrorContext.Api(Options, "read customers", "view_customers"), ReadOneAsync, allowNotFound: true, cancellationToken);
    }

    /// <summary>The project (needs a scope that may read project settings).</summary>
    public Task<ProjectDto?> GetProjectAsync(CancellationToken cancellationToken) =>
        SendAsync(Endpoints.Project(Options), ErrorContext.Api(Options, "read the project settings", "view_project_settings"),
            static async (r, ct) => await r.Content.ReadFromJsonAsync(CommercetoolsJsonContext.Default.ProjectDto, ct), allowNotFound: false,
            cancellationToken);

    /// <summary>
    /// The platform's clock: the <c>Date</c> header of a cheap call (an empty customers page). The header has whole seconds, so
    /// this is at most one second behind the server, which is the safe side for the upper bound of a read window.
    /// </summary>
    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellationToken)
    {
        var uri = Endpoints.Customers(Options, "?limit=0&withTotal=false");
        var date = await SendAsync(uri, ErrorContext.Api(Options, "read customers", "view_customers"),
            static (r, _) => Task.FromResult(r.Headers.Date), allowNotFound: false, cancellationToken);
        return date ?? throw new CommercetoolsException(FailureKind.Transient,
            "commercetools answered without a Date header, so the server clock is unknown.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T?> SendAsync<T>(Uri uri, ErrorContext context, Func<HttpResponseMessage, CancellationToken, Task<T?>> read,
        bool allowNotFound, CancellationToken cancellationToken)
    {
        var renewedAfter401 = false;
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                while (true)
                {
                    var token = await _tokens.GetAsync(ct);
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    if (response.Headers.Date is { } date)
                    {
                        LastServerDate = new ServerDateSample(date, _time.GetUtcNow());
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        return await read(response, ct);
                    }

                    if (response.StatusCode == HttpStatusCode.Unauthorized && !renewedAfter401)
                    {
                        // A token can expire or be revoked before our renewal point: renew once, then give up.
                        renewedAfter401 = true;
                        _tokens.Invalidate(token);
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.NotFound && allowNotFound)
                    {
                        return default;
                    }

                    throw await ErrorReader.ReadAsync(response, context, ct);
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CommercetoolsException(FailureKind.Transient,
                $"commercetools could not be reached at {context.Host} to {context.Operation} after {Options.MaxRetries + 1} attempts: {e.Message}", inner: e);
        }
    }

    private static string BuildQueryString(CustomerQueryRequest query) =>
        BuildQueryString(query.Where, query.Variables, query.Sort, query.Limit, query.WithTotal, expand: null);

    private static async Task<CustomerQueryResult?> ReadPageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await ParseAsync(stream, cancellationToken);
        var root = doc.RootElement;
        var results = new List<CustomerRecord>();
        if (root.TryGetProperty("results", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                results.Add(ReadRecord(item));
            }
        }

        long? total = root.TryGetProperty("total", out var t) && t.TryGetInt64(out var n) ? n : null;
        return new CustomerQueryResult(results.Count, total, results);
    }

    private static async Task<CustomerRecord?> ReadOneAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await ParseAsync(stream, cancellationToken);
        return ReadRecord(doc.RootElement);
    }

    /// <summary>Reads one record on its own, so a record of the wrong shape is reported alone instead of failing its page.</summary>
    private static CustomerRecord ReadRecord(JsonElement item)
    {
        var id = IdOf(item);
        try
        {
            return new CustomerRecord(id, item.Deserialize(CommercetoolsJsonContext.Default.CustomerDto));
        }
        catch (JsonException e)
        {
            return new CustomerRecord(id, null, $"the record does not have the Customer shape ({e.Path ?? "root"}: {e.Message.Split('.')[0]})");
        }
    }

    private static async Task<JsonDocument> ParseAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CommercetoolsException(FailureKind.Transient, "commercetools answered with a body that is not JSON.", inner: e);
        }
    }
}
