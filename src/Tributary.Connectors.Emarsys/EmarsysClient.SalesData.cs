using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysClient
{
    // Longest slice of an error body carried into an exception message (the body is undocumented free text).
    private const int MaxErrorBodyChars = 300;

    /// <summary>True when the sales-data upload is configured (merchant id and token).</summary>
    public bool SalesDataConfigured => _options.SalesDataConfigured;

    /// <summary>
    /// Uploads a sales-data CSV file (header row plus one row per order line) to
    /// <c>POST {SalesDataUrl}/hapi/merchant/{MerchantId}/sales-data/api</c> with the static bearer token, gzipped unless
    /// <see cref="EmarsysClientOptions.GzipSalesData"/> is off. Emarsys appends every row it receives and never de-duplicates,
    /// so a caller must not resend rows that were accepted. Only a 200 is success; anything else throws
    /// <see cref="EmarsysException"/> classified by <see cref="EmarsysErrors.ForUpload"/>.
    /// </summary>
    public async Task UploadSalesDataAsync(string csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (!_options.SalesDataConfigured)
        {
            throw new EmarsysException(FailureKind.Config, "Emarsys sales data is not configured. Fix: set MerchantId and SalesDataToken "
                + "(Management > Predict Data Sources > Sales Data > Show API upload details).");
        }

        var path = $"hapi/merchant/{Uri.EscapeDataString(_options.MerchantId.Trim())}/sales-data/api";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_salesBase, path)) { Content = CsvContent(csv) };
        // Lower-case "bearer", as Emarsys's own plugin sends it.
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", _options.SalesDataToken.Trim());
        request.Headers.Accept.ParseAdd("text/plain");
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            var kind = EmarsysErrors.ForUpload(status);
            TimeSpan? retryAfter = kind == FailureKind.RateLimited ? EmarsysErrors.RateLimitWait(response, _time.GetUtcNow()) : null;
            var text = body.Trim();
            text = text.Length > MaxErrorBodyChars ? text[..MaxErrorBodyChars] + "…" : text;
            if (status == 404)
            {
                throw new EmarsysException(kind, SalesDataNotFound(request.RequestUri!, text.Length == 0 ? response.ReasonPhrase : text), status,
                    requestId: RequestId(response));
            }

            throw new EmarsysException(kind, EmarsysErrors.Describe(response.StatusCode, null, text.Length == 0 ? response.ReasonPhrase : text),
                status, requestId: RequestId(response), retryAfter: retryAfter);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmarsysException(FailureKind.Transient,
                $"Emarsys did not answer the sales-data upload within {_options.RequestTimeout.TotalSeconds:0} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EmarsysException(FailureKind.Transient, $"Emarsys could not be reached for the sales-data upload: {ex.HttpRequestError}",
                statusCode: ex.StatusCode is { } s ? (int)s : null, inner: ex);
        }
    }

    /// <summary>
    /// Asks the sales-data upload endpoint whether it is there without uploading anything: a <c>GET</c> with the token. The
    /// endpoint takes only <c>POST</c>, so any answer but 404 means the host and path are right (the token itself is tested by
    /// the first upload; a 401 here refuses it early). Returns the status and the address asked; throws
    /// <see cref="EmarsysException"/> (Transient) when nothing answered.
    /// </summary>
    public async Task<(int Status, Uri Address)> ProbeSalesDataAsync(CancellationToken cancellationToken)
    {
        var address = new Uri(_salesBase, $"hapi/merchant/{Uri.EscapeDataString(_options.MerchantId.Trim())}/sales-data/api");
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", _options.SalesDataToken.Trim());
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return ((int)response.StatusCode, address);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmarsysException(FailureKind.Transient,
                $"Emarsys's sales-data host did not answer at {address.GetLeftPart(UriPartial.Authority)} within {_options.RequestTimeout.TotalSeconds:0} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EmarsysException(FailureKind.Transient,
                $"Emarsys's sales-data host could not be reached at {address.GetLeftPart(UriPartial.Authority)}: {ex.HttpRequestError}", inner: ex);
        }
    }

    /// <summary>The fix line for a sales-data address that answered 404.</summary>
    internal string SalesDataUrlFix() => "check merchantId (Management > Predict Data Sources > Sales Data > Show API upload details); "
        + EmarsysErrors.UrlFix("salesDataUrl", _options.SalesDataUrl, EmarsysErrors.SuggestSalesDataUrl(_options.SalesDataUrl),
            EmarsysClientOptions.DefaultSalesDataUrl);

    /// <summary>The fix line for an API address that answered 404.</summary>
    internal string ApiUrlFix() =>
        EmarsysErrors.UrlFix("apiUrl", _options.ApiUrl, EmarsysErrors.SuggestApiUrl(_options.ApiUrl), EmarsysClientOptions.DefaultApiUrl);

    // A 404 here is a wrong host or path, or a merchant id the host does not know: both are the configuration's to fix.
    private string SalesDataNotFound(Uri requested, string? text) =>
        $"Emarsys answered 404 at {requested.GetLeftPart(UriPartial.Path)} for the sales-data upload"
        + (string.IsNullOrWhiteSpace(text) ? string.Empty : $" ({text})")
        + $". Fix: {SalesDataUrlFix()}";

    private ByteArrayContent CsvContent(string csv)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        ByteArrayContent content;
        if (_options.GzipSalesData)
        {
            using var buffer = new MemoryStream(bytes.Length / 4 + 64);
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(bytes);
            }

            content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ByteArrayContent(bytes);
        }

        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return content;
    }
}
