using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tributary.Connectors.Commercetools.Api;

/// <summary>
/// Holds one client-credentials token, renewed at <see cref="CommercetoolsClientOptions.TokenRefreshRatio"/> of its lifetime.
/// Concurrent callers share a single fetch.
/// </summary>
internal sealed class TokenCache(HttpClient http, CommercetoolsClientOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _current;
    private long _fetches;

    /// <summary>Tokens fetched so far.</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt, IReadOnlyList<string> Scopes);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken) => (await GetCachedAsync(cancellationToken)).Value;

    public async ValueTask<IReadOnlyList<string>> GetScopesAsync(CancellationToken cancellationToken) =>
        (await GetCachedAsync(cancellationToken)).Scopes;

    /// <summary>Drops <paramref name="token"/> if it is still the cached one (another caller may have renewed it already).</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Value == token)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    private async ValueTask<CachedToken> GetCachedAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && time.GetUtcNow() < current.RenewAt)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = Volatile.Read(ref _current);
            if (current is not null && time.GetUtcNow() < current.RenewAt)
            {
                return current;
            }

            current = await FetchAsync(cancellationToken);
            Volatile.Write(ref _current, current);
            return current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        var scopes = string.Join(' ', options.QualifiedScopes);
        if (scopes.Length > 0)
        {
            form.Add(new("scope", scopes));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoints.Token(options.AuthUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}")));
        request.Content = new FormUrlEncodedContent(form);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorReader.ReadAsync(response, ErrorContext.Token(options), cancellationToken);
        }

        var now = time.GetUtcNow();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        TokenResponse? token;
        try
        {
            token = await JsonSerializer.DeserializeAsync(body, CommercetoolsJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CommercetoolsException(Core.Contracts.FailureKind.Transient,
                "The commercetools token endpoint answered with a body that is not a token response.", (int)response.StatusCode, inner: e);
        }

        if (token is null || string.IsNullOrEmpty(token.AccessToken))
        {
            throw new CommercetoolsException(Core.Contracts.FailureKind.Transient,
                "The commercetools token endpoint answered without an access token.", (int)response.StatusCode);
        }

        Interlocked.Increment(ref _fetches);
        var lifetime = TimeSpan.FromSeconds(Math.Max(1, token.ExpiresIn));
        var renewAt = now + (lifetime * Math.Clamp(options.TokenRefreshRatio, 0.1, 1.0));
        var granted = (token.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CachedToken(token.AccessToken, renewAt, granted);
    }
}
