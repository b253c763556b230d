using System.Net;
using System.Net.Mail;

namespace Tributary.Engine.Alerts;

/// <summary>Where alert emails go and how to reach the mail server. The user and password come from the environment.</summary>
public sealed class SmtpAlertOptions
{
    /// <summary>The submission port (587, STARTTLS) most providers offer.</summary>
    public const int DefaultPort = 587;

    /// <summary>Mail server host name.</summary>
    public required string Host { get; init; }

    /// <summary>Mail server port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Upgrade the connection with STARTTLS (on by default; off only for a local relay).</summary>
    public bool UseTls { get; init; } = true;

    /// <summary>Login user; none for an open relay.</summary>
    public string? User { get; init; }

    /// <summary>Login password.</summary>
    public string? Password { get; init; }

    /// <summary>Sender address.</summary>
    public required string From { get; init; }

    /// <summary>Recipients.</summary>
    public required IReadOnlyList<string> To { get; init; }
}

/// <summary>Sends notices as plain-text emails over SMTP; the subject is the notice's title.</summary>
public sealed class SmtpAlertSender(SmtpAlertOptions options) : IAlertSender
{
    /// <inheritdoc />
    public string Name => "email";

    /// <inheritdoc />
    public async Task SendAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        using var message = new MailMessage
        {
            From = new MailAddress(options.From),
            Subject = $"[Tributary] {(notice.State == AlertState.Firing ? "ALERT" : "RECOVERED")}: {notice.Title}",
            Body = notice.Detail,
            IsBodyHtml = false,
        };
        foreach (var to in options.To)
        {
            message.To.Add(to);
        }

        using var client = new SmtpClient(options.Host, options.Port)
        {
            EnableSsl = options.UseTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (options.User is { Length: > 0 } user)
        {
            client.Credentials = new NetworkCredential(user, options.Password);
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
