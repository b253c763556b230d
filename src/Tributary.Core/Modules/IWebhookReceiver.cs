using Tributary.Core.Contracts;

namespace Tributary.Core.Modules;

/// <summary>
/// Verifies one platform's webhook requests and turns them into inbox messages with stable ids. The host only routes
/// <c>/webhooks/{platform}</c> here, stores the messages in the durable inbox and answers with <see cref="WebhookOutcome.StatusCode"/>.
/// </summary>
public interface IWebhookReceiver
{
    /// <summary>Verifies the request and returns what to store, or why it is refused.</summary>
    WebhookOutcome Receive(WebhookRequest request);
}

/// <summary>A webhook request as the host received it.</summary>
/// <param name="Header">A request header by name (null when absent).</param>
/// <param name="Query">A query parameter by name (null when absent).</param>
/// <param name="Body">The raw body (size already bounded by the host).</param>
/// <param name="ReceivedAt">When it arrived, by the service's clock.</param>
public sealed record WebhookRequest(Func<string, string?> Header, Func<string, string?> Query, ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt);

/// <summary>What a receiver made of a request.</summary>
/// <param name="StatusCode">The HTTP status to answer with.</param>
/// <param name="Messages">Hints to store in the inbox (deduplicated by message id).</param>
/// <param name="Refusal">Why it was refused or ignored, counted by reason; null when accepted.</param>
/// <param name="Detail">More about a refusal, for the log and the answer.</param>
/// <param name="Logged">False for an expected refusal that is only counted (an ignored resource type).</param>
public sealed record WebhookOutcome(int StatusCode, IReadOnlyList<InboxMessage> Messages, string? Refusal, string? Detail, bool Logged)
{
    /// <summary>Accepted: store the messages and answer <paramref name="statusCode"/>.</summary>
    public static WebhookOutcome Accepted(IReadOnlyList<InboxMessage> messages, int statusCode = 200) => new(statusCode, messages, null, null, Logged: false);

    /// <summary>Refused: nothing is stored; counted and logged.</summary>
    public static WebhookOutcome Refused(string reason, int statusCode, string? detail = null) => new(statusCode, [], reason, detail, Logged: true);

    /// <summary>Acknowledged so the platform does not redeliver, but nothing is stored; counted, not logged.</summary>
    public static WebhookOutcome Ignored(string reason, int statusCode) => new(statusCode, [], reason, null, Logged: false);
}
