using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tributary.Host.Server;

/// <summary>
/// The last line of every endpoint: a request the framework cannot read (a form body that is not a form, a body over the limit)
/// answers 400 with the reason; anything else an endpoint throws answers 500 with the request id, and the exception is logged
/// under that id, so a blank 500 without a trace cannot happen. Push senders redeliver on 5xx: only a fault of ours may cause one.
/// </summary>
internal static class RequestErrors
{
    /// <summary>The header that carries the request id on every answer (the id the log lines of a failed request name).</summary>
    public const string RequestIdHeader = "X-Request-Id";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(ILogger logger) => async (context, next) =>
    {
        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is no one to answer.
        }
        catch (BadHttpRequestException ex)
        {
            logger.LogWarning("Refused {Method} {Path} ({Status}): {Reason} [request {RequestId}]", context.Request.Method, context.Request.Path,
                ex.StatusCode, ex.Message, context.TraceIdentifier);
            await AnswerAsync(context, ex.StatusCode, OneLine(ex.Message));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Method} {Path} failed [request {RequestId}]", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            await AnswerAsync(context, StatusCodes.Status500InternalServerError,
                $"internal error; the service log names it under request id {context.TraceIdentifier}");
        }
    };

    private static async Task AnswerAsync(HttpContext context, int status, string error)
    {
        if (context.Response.HasStarted)
        {
            // Part of the answer is out: the connection is cut, the log has the reason.
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorAnswer(error, context.TraceIdentifier), context.RequestAborted);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private sealed record ErrorAnswer(string Error, string RequestId);
}
