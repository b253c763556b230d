using System.IO.Compression;
using System.Text;

namespace Tributary.Tests.Contracts;

/// <summary>One call a connector made: what it sent and what the emulator answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path (escaped, without the query).</param>
/// <param name="Query">The query, with its "?" (empty when none).</param>
/// <param name="RequestBody">The body sent (gzip unpacked), empty when none.</param>
/// <param name="RequestHeaders">The request's headers and content headers.</param>
/// <param name="Status">The status answered.</param>
/// <param name="ResponseBody">The body answered.</param>
public sealed record RecordedCall(string Method, string Path, string Query, string RequestBody, IReadOnlyDictionary<string, string> RequestHeaders,
    int Status, string ResponseBody);

/// <summary>Passes every request on (to a real socket) and keeps the request and its answer, for checking against contracts.</summary>
public sealed class ContractRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<RecordedCall> _calls = [];

    /// <summary>The calls so far, in order.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = string.Empty;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        if (request.Content is { } content)
        {
            var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
            foreach (var header in content.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            if (content.Headers.ContentEncoding.Contains("gzip"))
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain, cancellationToken);
                bytes = plain.ToArray();
            }

            body = Encoding.UTF8.GetString(bytes);
        }

        var response = await base.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        var copy = new StringContent(answer, Encoding.UTF8);
        copy.Headers.Clear();
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = copy;
        lock (_calls)
        {
            _calls.Add(new RecordedCall(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body, headers,
                (int)response.StatusCode, answer));
        }

        return response;
    }
}
