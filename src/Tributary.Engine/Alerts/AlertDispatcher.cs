using Microsoft.Extensions.Logging;

namespace Tributary.Engine.Alerts;

/// <summary>
/// Evaluates a snapshot and sends the resulting notices on every channel. A channel that fails is logged and does not stop
/// the others or the service; the notice is not retried (the next state change sends a new one).
/// </summary>
public sealed class AlertDispatcher(AlertEvaluator evaluator, IReadOnlyList<IAlertSender> senders, ILogger logger)
{
    /// <summary>The evaluator (its open alerts, for a dashboard).</summary>
    public AlertEvaluator Evaluator => evaluator;

    /// <summary>Evaluates and sends; returns the notices that were due.</summary>
    public async Task<IReadOnlyList<AlertNotice>> EvaluateAsync(AlertSnapshot snapshot, CancellationToken cancellationToken)
    {
        var notices = evaluator.Evaluate(snapshot);
        foreach (var notice in notices)
        {
            logger.Log(notice.State == AlertState.Firing ? LogLevel.Error : LogLevel.Information, "{State} {Key}: {Title}",
                notice.State, notice.Key, notice.Title);
            foreach (var sender in senders)
            {
                try
                {
                    await sender.SendAsync(notice, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The exception text of a mail or HTTP client can carry the address; only its type is logged.
                    logger.LogWarning("Alert {Key} could not be sent by {Channel}: {Error}", notice.Key, sender.Name, ex.GetType().Name);
                }
            }
        }

        return notices;
    }
}
