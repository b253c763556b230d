using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Tributary.Core.Rules;

namespace Tributary.Host.Output;

/// <summary>
/// Structured logs: one JSON object per line (timestamp, level, category, event id, message, the message's named values and
/// the exception), with email addresses anywhere and the values of personal-looking names masked.
/// </summary>
public sealed class JsonLogFormatter : ConsoleFormatter
{
    /// <summary>The formatter's registered name.</summary>
    public const string FormatterName = "tributary-json";

    private static readonly string[] PersonalNames = ["email", "firstname", "lastname", "phone", "mobile", "birth", "address"];

    private readonly TimeProvider _time;

    public JsonLogFormatter() : this(TimeProvider.System)
    {
    }

    public JsonLogFormatter(TimeProvider time) : base(FormatterName) => _time = time;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _time.GetUtcNow());
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }

            json.WriteString("message", Mask(message));
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    if (name == "{OriginalFormat}")
                    {
                        json.WriteString("template", value?.ToString());
                        continue;
                    }

                    var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    json.WriteString(name, IsPersonal(name) ? MaskPersonal(text) : Mask(text));
                }
            }

            if (logEntry.Exception is { } ex)
            {
                json.WriteString("exception", ex.GetType().FullName);
                json.WriteString("exceptionMessage", Mask(ex.Message));
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        textWriter.Write('\n');
    }

    /// <summary>Logging to the console in the given format ("text" or "json").</summary>
    public static void Configure(ILoggingBuilder builder, string format)
    {
        if (format == "json")
        {
            builder.AddConsole(o => o.FormatterName = FormatterName);
            builder.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
    }

    private static string? Mask(string? text) => Server.Dashboard.PayloadMasker.Text(text);

    private static bool IsPersonal(string name) => PersonalNames.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    private static string? MaskPersonal(string? value) =>
        string.IsNullOrEmpty(value) ? value : value.Contains('@', StringComparison.Ordinal) ? Masking.Email(value) : Masking.Text(value);
}
