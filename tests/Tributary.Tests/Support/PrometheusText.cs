using System.Globalization;
using System.Text.RegularExpressions;

namespace Tributary.Tests.Support;

/// <summary>Reads the Prometheus text exposition format: one sample per line, <c>name{label="value",…} value [timestamp]</c>.</summary>
internal static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var m = SampleLine().Match(line);
            m.Success.ShouldBeTrue($"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(m.Groups["labels"].Value)
                .ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal), StringComparer.Ordinal);
            samples.Add(new Sample(m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    /// <summary>The value of the one sample of <paramref name="name"/> with exactly these labels (fails when there is none or several).</summary>
    public static double Value(string text, string name, params (string Name, string Value)[] labels)
    {
        var matches = Parse(text).Where(s => s.Name == name && s.Labels.Count == labels.Length
            && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        matches.Count.ShouldBe(1, $"one sample {name}{{{string.Join(',', labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}} in:\n{text}");
        return matches[0].Value;
    }

    /// <summary>The declared type of a metric family (<c># TYPE name type</c>).</summary>
    public static string? Type(string text, string name) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith($"# TYPE {name} ", StringComparison.Ordinal))?.Split(' ')[3];

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
