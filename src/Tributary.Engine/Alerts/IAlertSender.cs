namespace Tributary.Engine.Alerts;

/// <summary>A channel alert notices go out on (a chat webhook, email).</summary>
public interface IAlertSender
{
    /// <summary>Short name for logs ("webhook", "email"); never the address or a secret.</summary>
    string Name { get; }

    /// <summary>Sends one notice; throws when the channel refused it.</summary>
    Task SendAsync(AlertNotice notice, CancellationToken cancellationToken);
}
