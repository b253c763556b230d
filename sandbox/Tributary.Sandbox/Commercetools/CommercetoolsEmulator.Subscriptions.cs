using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// The sandbox's stand-in for a commercetools Subscription with a Google Cloud Pub/Sub destination and a push subscription on
/// it: every announced change is wrapped as Pub/Sub wraps a push (<c>{"message":{"data":base64,"messageId","publishTime"},
/// "subscription"}</c>, the payload in the platform's Message format) and POSTed to the configured URL. Like Pub/Sub, a push
/// answered with anything but 2xx is redelivered later with a growing delay (here up to <see cref="MaxPushAttempts"/> times),
/// and pushes are not ordered.
/// </summary>
public sealed partial class CommercetoolsEmulator
{
    /// <summary>Deliveries of one push before it is given up (Pub/Sub keeps trying for days; the sandbox for seconds).</summary>
    public const int MaxPushAttempts = 5;

    private readonly object _pushGate = new();
    private Channel<(SandboxMessage Message, int Attempt)>? _pushQueue;
    private HttpClient? _pushHttp;
    private Uri? _pushUrl;
    private long _pushesDelivered;
    private long _pushesFailed;

    /// <summary>Pushes the receiver acknowledged (2xx).</summary>
    public long PushesDelivered => Interlocked.Read(ref _pushesDelivered);

    /// <summary>Pushes given up after <see cref="MaxPushAttempts"/> unacknowledged deliveries.</summary>
    public long PushesFailed => Interlocked.Read(ref _pushesFailed);

    /// <summary>
    /// Starts pushing every change announced from now on to <paramref name="endpoint"/> (a Tributary
    /// <c>/webhooks/commercetools?token=…</c> URL, for example). Calling it again moves the push to the new URL.
    /// </summary>
    public void PushTo(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_pushGate)
        {
            _pushUrl = endpoint;
            if (_pushQueue is not null)
            {
                return;
            }

            _pushQueue = Channel.CreateUnbounded<(SandboxMessage, int)>(new UnboundedChannelOptions { SingleReader = true });
            _pushHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            _ = Task.Run(() => PushLoopAsync(_pushQueue.Reader, _pushHttp));
        }
    }

    /// <summary>Stops pushing; changes announced afterwards are not pushed.</summary>
    public void StopPushing()
    {
        lock (_pushGate)
        {
            _pushQueue?.Writer.TryComplete();
            _pushQueue = null;
            _pushUrl = null;
            // The loop ends with its queue; the client it used goes with it.
            _pushHttp?.Dispose();
            _pushHttp = null;
        }
    }

    private void Push(SandboxMessage message)
    {
        lock (_pushGate)
        {
            _pushQueue?.Writer.TryWrite((message, 1));
        }
    }

    /// <summary>The Pub/Sub push body for <paramref name="message"/>.</summary>
    public byte[] PushEnvelope(SandboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var payload = new MemoryStream();
        using (var w = new Utf8JsonWriter(payload))
        {
            message.Write(w, "Message", Options.ProjectKey);
        }

        using var envelope = new MemoryStream();
        using (var w = new Utf8JsonWriter(envelope))
        {
            w.WriteStartObject();
            w.WriteStartObject("message");
            w.WriteString("data", Convert.ToBase64String(payload.ToArray()));
            w.WriteString("messageId", message.Id);
            CustomerJson.WriteTimestamp(w, "publishTime", Now());
            w.WriteEndObject();
            w.WriteString("subscription", $"projects/{Options.ProjectKey}/subscriptions/tributary");
            w.WriteEndObject();
        }

        return envelope.ToArray();
    }

    private async Task PushLoopAsync(ChannelReader<(SandboxMessage Message, int Attempt)> reader, HttpClient http)
    {
        await foreach (var (message, attempt) in reader.ReadAllAsync())
        {
            Uri? url;
            lock (_pushGate)
            {
                url = _pushUrl;
            }

            if (url is null)
            {
                continue;
            }

            var acknowledged = false;
            try
            {
                using var content = new ByteArrayContent(PushEnvelope(message));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(url, content);
                acknowledged = response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                acknowledged = false;
            }

            if (acknowledged)
            {
                Interlocked.Increment(ref _pushesDelivered);
            }
            else if (attempt >= MaxPushAttempts)
            {
                Interlocked.Increment(ref _pushesFailed);
            }
            else
            {
                // Redelivered later without holding back the pushes behind it.
                _ = RedeliverAsync(message, attempt + 1);
            }
        }
    }

    private async Task RedeliverAsync(SandboxMessage message, int attempt)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(250 * (1 << Math.Min(attempt, 6))));
        lock (_pushGate)
        {
            _pushQueue?.Writer.TryWrite((message, attempt));
        }
    }
}
