using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Host.Output;

namespace Tributary.Tests.Host.Dashboard;

[Unit]
public sealed class JsonLogFormatterTests
{
    private static string Format(LogLevel level, string template, object?[] args, Exception? ex = null)
    {
        var state = new FormattedState(template, args);
        var entry = new LogEntry<FormattedState>(level, "Tributary.Engine", new EventId(7), state, ex, (s, _) => s.ToString());
        using var writer = new StringWriter();
        new JsonLogFormatter(new TestClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))).Write(entry, null, writer);
        return writer.ToString();
    }

    [Fact]
    public void Write_MessageWithPersonalData_OneJsonLineWithEmailAndNamedPersonalValuesMasked()
    {
        var line = Format(LogLevel.Warning, "Contact {Email} ({FirstName}) refused: {Reason}",
            ["ann.lee@example.com", "Ann", "duplicate of bob@example.com"], new InvalidOperationException("bad eve@example.org"));

        line.Count(c => c == '\n').ShouldBe(1);
        line.ShouldEndWith("\n");
        line.ShouldNotContain("ann.lee@");
        line.ShouldNotContain("bob@");
        line.ShouldNotContain("eve@");
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        root.GetProperty("level").GetString().ShouldBe("Warning");
        root.GetProperty("category").GetString().ShouldBe("Tributary.Engine");
        root.GetProperty("timestamp").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        root.GetProperty("message").GetString().ShouldBe("Contact a***@example.com (Ann) refused: duplicate of b***@example.com");
        root.GetProperty("Email").GetString().ShouldBe("a***@example.com");
        root.GetProperty("FirstName").GetString().ShouldBe("A***");
        root.GetProperty("template").GetString().ShouldBe("Contact {Email} ({FirstName}) refused: {Reason}");
        root.GetProperty("exceptionMessage").GetString().ShouldBe("bad e***@example.org");
    }

    /// <summary>The shape the logging extensions give a templated message: named values plus the template.</summary>
    private sealed class FormattedState(string template, object?[] args) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _values = Names(template).Zip(args, (n, a) => new KeyValuePair<string, object?>(n, a))
            .Append(new KeyValuePair<string, object?>("{OriginalFormat}", template)).ToList();

        public int Count => _values.Count;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            var text = template;
            foreach (var (name, value) in _values.Take(_values.Count - 1))
            {
                text = text.Replace("{" + name + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            return text;
        }

        private static IEnumerable<string> Names(string template) =>
            System.Text.RegularExpressions.Regex.Matches(template, @"\{(\w+)\}").Select(m => m.Groups[1].Value);
    }
}
