using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Contracts;

/// <summary>
/// An HTTP handler that answers a connector with given payloads (published examples, or instances of a published schema), so the
/// connector's own client, JSON reading and mapping run on material the repository did not write. A request nobody answers is a
/// 404 with commercetools' error envelope; every request is recorded.
/// </summary>
public sealed class PublishedPayloadHandler : HttpMessageHandler
{
    private readonly List<(Func<HttpRequestMessage, bool> Match, Func<HttpRequestMessage, JsonNode> Body)> _routes = [];

    /// <summary>The requests seen, in order, as "METHOD path?query".</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Answers requests whose path ends with <paramref name="pathSuffix"/> (query ignored) with the body.</summary>
    public PublishedPayloadHandler On(string pathSuffix, JsonNode body) => On(pathSuffix, _ => body);

    /// <summary>Answers requests whose path ends with <paramref name="pathSuffix"/> with a body built from the request.</summary>
    public PublishedPayloadHandler On(string pathSuffix, Func<HttpRequestMessage, JsonNode> body)
    {
        _routes.Add((r => r.RequestUri!.AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal), body));
        return this;
    }

    /// <summary>A commercetools paged query response holding <paramref name="results"/>.</summary>
    public static JsonObject Paged(params JsonNode[] results) => new()
    {
        ["limit"] = 20,
        ["offset"] = 0,
        ["count"] = results.Length,
        ["results"] = new JsonArray(results.Select(r => r.DeepClone()).ToArray()),
    };

    /// <summary>A client-credentials token granting <paramref name="scope"/>.</summary>
    public static JsonObject Token(string scope) => new()
    {
        ["access_token"] = "published-contract-token",
        ["token_type"] = "Bearer",
        ["expires_in"] = 172800,
        ["scope"] = scope,
    };

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        }

        foreach (var (match, body) in _routes)
        {
            if (match(request))
            {
                return Task.FromResult(Json(HttpStatusCode.OK, body(request)));
            }
        }

        return Task.FromResult(Json(HttpStatusCode.NotFound, new JsonObject
        {
            ["statusCode"] = 404,
            ["message"] = $"The Resource with path '{request.RequestUri!.AbsolutePath}' was not found.",
            ["errors"] = new JsonArray(new JsonObject { ["code"] = "ResourceNotFound", ["message"] = "not found" }),
        }));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) => new(status)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        Headers = { Date = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero) },
    };
}
