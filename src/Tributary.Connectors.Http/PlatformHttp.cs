namespace Tributary.Connectors.Http;

/// <summary>How the source connectors make their HTTP clients, with or without dependency injection.</summary>
public static class PlatformHttp
{
    /// <summary>The primary handler: connections are recycled every few minutes so DNS changes are picked up; responses may be compressed.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    /// <summary>
    /// A client over <paramref name="handler"/> (kept by the caller) or, when null, over its own primary handler. No client
    /// timeout: each connector's resilience pipeline times its attempts.
    /// </summary>
    public static HttpClient CreateClient(HttpMessageHandler? handler = null)
    {
        var http = handler is null
            ? new HttpClient(CreatePrimaryHandler(), disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        return http;
    }
}
