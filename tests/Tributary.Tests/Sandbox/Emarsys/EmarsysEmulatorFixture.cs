using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tributary.Connectors.Emarsys;
using Tributary.Sandbox;
using Tributary.Sandbox.Emarsys;

namespace Tributary.Tests.Sandbox.Emarsys;

/// <summary>A sandbox on port 0 with a hand-moved clock and a raw HTTP client that signs with the emulator's credentials.</summary>
internal sealed class EmarsysEmulatorFixture : IAsyncDisposable
{
    private EmarsysEmulatorFixture(SandboxServer server, TestClock clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient { BaseAddress = new Uri(server.EmarsysUrl + "/") };
    }

    public SandboxServer Server { get; }

    public EmarsysEmulator Emulator => Server.Emarsys;

    public TestClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<EmarsysEmulatorFixture> StartAsync(Action<EmarsysEmulatorOptions>? configure = null)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var options = new SandboxOptions();
        options.Emarsys.RequestsPerMinute = 0;
        configure?.Invoke(options.Emarsys);
        var server = await SandboxServer.StartAsync(options, clock, CancellationToken.None);
        return new EmarsysEmulatorFixture(server, clock);
    }

    public string SignedHeader(string? secret = null, string? nonce = null, DateTimeOffset? created = null) =>
        EmarsysWsse.HeaderValue(Emulator.Options.User, secret ?? Emulator.Options.Secret, nonce ?? EmarsysWsse.NewNonce(),
            EmarsysWsse.FormatCreated(created ?? Clock.GetUtcNow()));

    public async Task<RawAnswer> SendAsync(HttpMethod method, string path, string? json = null, string? wsse = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-WSSE", wsse ?? SignedHeader());
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new RawAnswer((int)response.StatusCode, body, response.Headers, response.Content.Headers.ContentType);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

internal sealed record RawAnswer(int Status, string Body, HttpResponseHeaders Headers, MediaTypeHeaderValue? ContentType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int ReplyCode => Json.GetProperty("replyCode").GetInt32();

    public JsonElement Data => Json.GetProperty("data");

    public string Header(string name) => Headers.TryGetValues(name, out var v) ? v.First() : string.Empty;
}
