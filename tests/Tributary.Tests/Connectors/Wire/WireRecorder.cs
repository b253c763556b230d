using System.IO.Compression;
using System.Text;

namespace Tributary.Tests.Connectors.Wire;

/// <summary>Keeps the method, path and body of every request sent through it (gzip bodies unpacked), then passes it on.</summary>
internal sealed class WireRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<string> _requests = [];

    /// <summary>Each request as <c>METHOD path\nbody</c>, in the order sent.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = string.Empty;
        if (request.Content is { } content)
        {
            var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
            if (content.Headers.ContentEncoding.Contains("gzip"))
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain, cancellationToken);
                bytes = plain.ToArray();
            }

            body = Encoding.UTF8.GetString(bytes);
        }

        lock (_requests)
        {
            _requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}\n{body}");
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
