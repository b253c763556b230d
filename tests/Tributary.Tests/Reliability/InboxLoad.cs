using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Tributary.Tests.Reliability;

/// <summary>Sends notifications at a fixed rate, each with its own message id, and collects every answer that was not a 2xx.</summary>
internal static class InboxLoad
{
    public sealed record Result(int Sent, IReadOnlyList<string> Failures, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(HttpClient http, Uri endpoint, IReadOnlyList<string> ids, int perSecond, int seconds,
        CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<string>();
        var inFlight = new List<Task>(perSecond * seconds);
        var clock = Stopwatch.StartNew();
        var total = perSecond * seconds;
        var sent = 0;
        // Paced in 10 ms slots: each slot releases its share of the schedule, so the rate holds without a timer per request.
        while (sent < total)
        {
            var due = (int)Math.Min(total, clock.Elapsed.TotalSeconds * perSecond);
            for (; sent < due; sent++)
            {
                var n = sent;
                inFlight.Add(PostAsync(http, endpoint, $"load-{n}", ids[n % ids.Count], failures, cancellationToken));
            }

            await Task.Delay(10, cancellationToken);
        }

        await Task.WhenAll(inFlight);
        return new Result(sent, failures.ToList(), clock.Elapsed);
    }

    private static async Task PostAsync(HttpClient http, Uri endpoint, string messageId, string id, ConcurrentQueue<string> failures,
        CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(RealtimeConfig.CustomerNotification(messageId, id, 2), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(endpoint, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failures.Enqueue($"{messageId}: {(int)response.StatusCode}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            failures.Enqueue($"{messageId}: {ex.GetType().Name}");
        }
    }
}
