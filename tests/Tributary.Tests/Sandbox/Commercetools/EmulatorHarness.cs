using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Commercetools;

/// <summary>Runs the sandbox on port 0 and talks raw HTTP to the commercetools emulator.</summary>
public sealed class EmulatorHarness : IAsyncDisposable
{
    private EmulatorHarness(SandboxServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.CommercetoolsUrl.AbsoluteUri.TrimEnd('/') + "/") };
    }

    public SandboxServer Server { get; }

    public CommercetoolsEmulator Emulator => Server.Commercetools;

    public HttpClient Http { get; }

    public static async Task<EmulatorHarness> StartAsync(TimeProvider? time = null, Action<CommercetoolsEmulatorOptions>? configure = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options.Commercetools);
        return new EmulatorHarness(await SandboxServer.StartAsync(options, time ?? TimeProvider.System, CancellationToken.None));
    }

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId = "sandbox-client", string secret = "sandbox-secret", string? scope = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        request.Content = new FormUrlEncodedContent(form);
        return await Http.SendAsync(request);
    }

    public async Task<string> TokenAsync()
    {
        using var response = await RequestTokenAsync();
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path) => await SendAsync(HttpMethod.Get, path, await TokenAsync());

    public static SandboxCustomer Customer(string email, DateTimeOffset? modified = null, Action<SandboxCustomer>? configure = null)
    {
        var c = new SandboxCustomer { Email = email, FirstName = "Ann", LastName = "Lee" };
        if (modified is { } m)
        {
            c.CreatedAt = m.AddDays(-1);
            c.LastModifiedAt = m;
        }

        configure?.Invoke(c);
        return c;
    }

    /// <summary>
    /// An order in EUR with two lines: <c>SKU-000001</c> × 2 at 19.99 (line id <c>li-1</c>) and <c>SKU-000002</c> × 1 at 5.00
    /// (<c>li-2</c>), total 44.98.
    /// </summary>
    public static SandboxOrder Order(string? email = "ann@example.com", DateTimeOffset? modified = null, Action<SandboxOrder>? configure = null)
    {
        var o = new SandboxOrder
        {
            OrderNumber = $"ORD-{Guid.NewGuid().ToString("N")[..8]}",
            CustomerEmail = email,
            OrderState = "Confirmed",
            PaymentState = "Paid",
            Store = "eu",
            TotalPrice = SandboxMoney.Of(44.98m, "EUR"),
            LineItems =
            [
                new SandboxLineItem
                {
                    Id = "li-1", Sku = "SKU-000001", Name = new() { ["en"] = "Shirt", ["de"] = "Hemd" }, Quantity = 2,
                    Price = SandboxMoney.Of(19.99m, "EUR"), TotalPrice = SandboxMoney.Of(39.98m, "EUR"),
                },
                new SandboxLineItem
                {
                    Id = "li-2", Sku = "SKU-000002", Name = new() { ["en"] = "Socks" }, Quantity = 1,
                    Price = SandboxMoney.Of(5m, "EUR"), TotalPrice = SandboxMoney.Of(5m, "EUR"),
                },
            ],
        };
        if (modified is { } m)
        {
            o.CreatedAt = m.AddDays(-1);
            o.LastModifiedAt = m;
        }

        configure?.Invoke(o);
        return o;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
