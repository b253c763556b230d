using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

/// <summary>The outcome of one catalogue import.</summary>
/// <param name="Accepted">True when the file replaced the catalogue.</param>
/// <param name="Error">Why the import failed (the previous catalogue stays), or null.</param>
/// <param name="Items">Items in the catalogue after the import.</param>
public sealed record EmarsysCatalogImport(bool Accepted, string? Error, int Items);

public sealed partial class EmarsysEmulator
{
    private const string CatalogSuffix = "/catalog/api";

    private List<IReadOnlyDictionary<string, string>> _catalog = [];
    private long _catalogImports;

    /// <summary>The product catalogue of the last good import, in file order, keyed by column name.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> CatalogItems
    {
        get
        {
            lock (_gate)
            {
                return _catalog.ToList();
            }
        }
    }

    /// <summary>Catalogue imports that replaced the catalogue.</summary>
    public long CatalogImports => Interlocked.Read(ref _catalogImports);

    /// <summary>
    /// Fetches a catalogue feed the way Emarsys's scheduled "Product Data" import does: a GET of the URL (basic auth with
    /// <paramref name="user"/> and <paramref name="password"/>, or with the <c>user:pass@</c> part of the URL as curl takes it),
    /// then the file's checks. A good file replaces the whole catalogue (items missing from it vanish); a failed fetch or a bad
    /// file leaves the last good catalogue in place.
    /// </summary>
    public async Task<EmarsysCatalogImport> FetchCatalogAsync(Uri url, string? user, string? password,
        CancellationToken cancellationToken = default)
    {
        if (user is null && url.UserInfo.Length > 0)
        {
            var parts = url.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        }

        var target = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (user is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        string text;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Failed($"HTTP {(int)response.StatusCode} fetching the feed");
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return Failed($"the feed could not be fetched: {ex.Message}");
        }

        return Import(text);
    }

    /// <summary>Clears the catalogue and zeroes <see cref="CatalogImports"/>.</summary>
    public void ClearCatalog()
    {
        lock (_gate)
        {
            _catalog = [];
        }

        Interlocked.Exchange(ref _catalogImports, 0);
    }

    private EmarsysCatalogImport Import(string text)
    {
        if (EmarsysCatalogCsv.TryRead(text, out var rows) is { } error)
        {
            return Failed(error);
        }

        lock (_gate)
        {
            _catalog = rows;
        }

        Interlocked.Increment(ref _catalogImports);
        return new EmarsysCatalogImport(true, null, rows.Count);
    }

    private EmarsysCatalogImport Failed(string error)
    {
        lock (_gate)
        {
            return new EmarsysCatalogImport(false, error, _catalog.Count);
        }
    }

    private static bool IsCatalogPath(string path, out string merchantId)
    {
        merchantId = string.Empty;
        if (!path.StartsWith(SalesDataPrefix, StringComparison.Ordinal) || !path.EndsWith(CatalogSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        merchantId = path[SalesDataPrefix.Length..^CatalogSuffix.Length];
        return merchantId.Length > 0 && !merchantId.Contains('/', StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>POST /hapi/merchant/{id}/catalog/api</c> (undocumented publicly; used by Emarsys's Magento plugin): the sales-data token,
    /// a CSV body (gzip allowed) that replaces the whole catalogue when its header and items are valid.
    /// </summary>
    private async Task CatalogUploadAsync(HttpContext context, string merchantId)
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

        var import = Import(text);
        await (import.Accepted
            ? PlainAsync(context, StatusCodes.Status200OK, "Upload accepted\n")
            : PlainAsync(context, StatusCodes.Status400BadRequest, import.Error ?? "Invalid catalog"));
    }
}
