using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

public sealed partial class EmarsysEmulator
{
    private const string SalesDataPrefix = "hapi/merchant/";
    private const string SalesDataSuffix = "/sales-data/api";

    private readonly List<IReadOnlyDictionary<string, string>> _salesRows = [];
    private long _salesUploads;

    /// <summary>Every sales-data row accepted so far, in upload order, keyed by column name. Re-sent rows appear again.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> SalesRows
    {
        get
        {
            lock (_gate)
            {
                return _salesRows.ToList();
            }
        }
    }

    /// <summary>Sales-data uploads accepted.</summary>
    public long SalesUploads => Interlocked.Read(ref _salesUploads);

    /// <summary>Removes every sales row and zeroes <see cref="SalesUploads"/>.</summary>
    public void ClearSalesData()
    {
        lock (_gate)
        {
            _salesRows.Clear();
        }

        Interlocked.Exchange(ref _salesUploads, 0);
    }

    private static bool IsSalesDataPath(string path, out string merchantId)
    {
        merchantId = string.Empty;
        if (!path.StartsWith(SalesDataPrefix, StringComparison.Ordinal) || !path.EndsWith(SalesDataSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        merchantId = path[SalesDataPrefix.Length..^SalesDataSuffix.Length];
        return merchantId.Length > 0 && !merchantId.Contains('/', StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>POST /hapi/merchant/{id}/sales-data/api</c>: a static bearer token (scheme matched case-insensitively: Emarsys's own
    /// plugin sends <c>bearer</c>), a CSV body, gzip allowed. Answers in plain text like the real Jetty endpoint. Error codes and
    /// bodies are undocumented; 401, 404 and 400 with a sentence are this emulator's choice.
    /// </summary>
    private async Task SalesDataAsync(HttpContext context, string merchantId)
    {
        if (await HapiRefusalAsync(context, merchantId))
        {
            return;
        }

        string text;
        try
        {
            text = await ReadTextAsync(context);
        }
        catch (InvalidDataException)
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, "Content-Encoding gzip, but the body is not gzip");
            return;
        }

        if (EmarsysSalesCsv.TryRead(text, out var rows) is { } error)
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, error);
            return;
        }

        lock (_gate)
        {
            // Appended as they come: the real endpoint does not de-duplicate by order, so a resend doubles revenue.
            _salesRows.AddRange(rows);
        }

        Interlocked.Increment(ref _salesUploads);
        await PlainAsync(context, StatusCodes.Status200OK, "Upload accepted\n");
    }

    /// <summary>Answers and returns true when a HAPI request has the wrong method, merchant or token.</summary>
    private async Task<bool> HapiRefusalAsync(HttpContext context, string merchantId)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed");
            return true;
        }

        if (!string.Equals(merchantId, Options.MerchantId, StringComparison.Ordinal))
        {
            await PlainAsync(context, StatusCodes.Status404NotFound, "Unknown merchant");
            return true;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !authorization[..space].Equals("bearer", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(authorization[(space + 1)..].Trim(), Options.SalesDataToken, StringComparison.Ordinal))
        {
            await PlainAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return true;
        }

        return false;
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        var gzip = context.Request.Headers.ContentEncoding.Any(e => e is not null && e.Contains("gzip", StringComparison.OrdinalIgnoreCase));
        var body = gzip ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true) : context.Request.Body;
        try
        {
            using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            return await reader.ReadToEndAsync(context.RequestAborted);
        }
        finally
        {
            if (gzip)
            {
                await body.DisposeAsync();
            }
        }
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
