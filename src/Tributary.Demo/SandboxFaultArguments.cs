using System.Globalization;
using System.Text.RegularExpressions;
using Tributary.Sandbox;
using Tributary.Sandbox.Faults;

namespace Tributary.Demo;

/// <summary>
/// The sandbox's fault options on the command line: latency and the shares of 5xx, 429 and hanging answers, for every
/// platform (<c>--latency 1s</c>) or one (<c>--latency emarsys=1s</c>), repeatable, so a benchmark or a trial under
/// adverse conditions can be reproduced by anyone. Parsing fails with a sentence naming the bad value and the fix.
/// </summary>
public static partial class SandboxFaultArguments
{
    /// <summary>The platforms the sandbox emulates, as named on the command line.</summary>
    public static readonly string[] Platforms = ["commercetools", "emarsys", "dotdigital", "centra", "cin7core"];

    /// <summary>A problem with one fault argument, said in full.</summary>
    public sealed class FaultArgumentException(string message) : Exception(message);

    /// <summary>The fault settings per platform from the four options' values; throws <see cref="FaultArgumentException"/> on bad input.</summary>
    public static Dictionary<string, FaultOptions> Parse(IEnumerable<string> latency, IEnumerable<string> serverErrors,
        IEnumerable<string> rateLimits, IEnumerable<string> timeouts)
    {
        var settings = Platforms.ToDictionary(p => p, _ => new FaultOptions(), StringComparer.OrdinalIgnoreCase);
        foreach (var (platforms, value) in Split("--latency", latency))
        {
            var duration = Duration(value) ?? throw new FaultArgumentException(
                $"--latency '{value}' is not a duration: write a number with a unit (ms, s, m), such as '--latency 250ms' or '--latency emarsys=1s'");
            platforms.ForEach(p => settings[p].Latency = duration);
        }

        foreach (var (name, values, set) in new (string, IEnumerable<string>, Action<FaultOptions, double>)[]
        {
            ("--5xx", serverErrors, (o, v) => o.ServerErrorRate = v),
            ("--429", rateLimits, (o, v) => o.RateLimitRate = v),
            ("--timeouts", timeouts, (o, v) => o.TimeoutRate = v),
        })
        {
            foreach (var (platforms, value) in Split(name, values))
            {
                var share = Share(value) ?? throw new FaultArgumentException(
                    $"{name} '{value}' is not a share of requests: write a number from 0 to 1 or a percentage, such as '{name} 0.05' or '{name} emarsys=5%'");
                platforms.ForEach(p => set(settings[p], share));
            }
        }

        foreach (var (platform, options) in settings)
        {
            if (options.ServerErrorRate + options.RateLimitRate + options.TimeoutRate > 1)
            {
                throw new FaultArgumentException($"the shares of 5xx, 429 and timeouts for {platform} add up to more than all requests: lower one of them");
            }
        }

        return settings;
    }

    /// <summary>Applies the settings to the running sandbox's emulators.</summary>
    public static void Apply(SandboxServer sandbox, IReadOnlyDictionary<string, FaultOptions> settings)
    {
        foreach (var (platform, options) in settings)
        {
            var target = platform.ToLowerInvariant() switch
            {
                "commercetools" => sandbox.Commercetools.Faults,
                "emarsys" => sandbox.Emarsys.Faults,
                "dotdigital" => sandbox.Dotdigital.Faults,
                "centra" => sandbox.Centra.Faults,
                _ => sandbox.Cin7Core.Faults,
            };
            target.Options.Latency = options.Latency;
            target.Options.ServerErrorRate = options.ServerErrorRate;
            target.Options.RateLimitRate = options.RateLimitRate;
            target.Options.TimeoutRate = options.TimeoutRate;
        }
    }

    /// <summary>One line per platform with a fault set, for the start-up summary; empty when nothing is set.</summary>
    public static IEnumerable<string> Describe(IReadOnlyDictionary<string, FaultOptions> settings) => settings
        .Where(s => s.Value.Latency > TimeSpan.Zero || s.Value.ServerErrorRate > 0 || s.Value.RateLimitRate > 0 || s.Value.TimeoutRate > 0)
        .Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Key}: latency {s.Value.Latency.TotalMilliseconds:0} ms, 5xx {s.Value.ServerErrorRate:P1}, 429 {s.Value.RateLimitRate:P1}, timeouts {s.Value.TimeoutRate:P1}"));

    private static IEnumerable<(List<string> Platforms, string Value)> Split(string option, IEnumerable<string> values)
    {
        foreach (var raw in values)
        {
            var at = raw.IndexOf('=', StringComparison.Ordinal);
            if (at < 0)
            {
                yield return (Platforms.ToList(), raw.Trim());
                continue;
            }

            var platform = raw[..at].Trim();
            if (!Platforms.Contains(platform, StringComparer.OrdinalIgnoreCase))
            {
                throw new FaultArgumentException($"{option} '{raw}': '{platform}' is not a sandbox platform; use one of {string.Join(", ", Platforms)}");
            }

            yield return ([platform.ToLowerInvariant()], raw[(at + 1)..].Trim());
        }
    }

    private static TimeSpan? Duration(string value)
    {
        var m = DurationPattern().Match(value);
        if (!m.Success)
        {
            return null;
        }

        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            _ => TimeSpan.FromMinutes(n),
        };
    }

    private static double? Share(string value)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || double.IsNaN(share))
        {
            return null;
        }

        share = percent ? share / 100 : share;
        return share is >= 0 and <= 1 ? share : null;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m)$")]
    private static partial Regex DurationPattern();
}
