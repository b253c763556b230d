using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Tributary.Host.Configuration;

/// <summary>
/// A mapping node of the config file with line numbers: reads typed values, substitutes <c>${ENV}</c> references and, when
/// done, rejects keys nobody asked for (with the closest known key as the fix).
/// </summary>
internal sealed partial class YamlSection : Tributary.Core.Modules.IConfigSection
{
    private readonly YamlMappingNode _node;
    private readonly Func<string, string?> _env;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<ConfigException> _productionOnly;

    public YamlSection(string file, string path, YamlMappingNode node, Func<string, string?> env, List<ConfigException>? productionOnly = null)
    {
        File = file;
        Path = path;
        _node = node;
        _env = env;
        _productionOnly = productionOnly ?? [];
    }

    /// <summary>
    /// Values allowed only in the sandbox (a request budget turned off, intervals shorter than production needs), shared by the
    /// sections of one file: the loader refuses the first of them once it knows the file is not the sandbox's.
    /// </summary>
    public IReadOnlyList<ConfigException> ProductionOnly => _productionOnly;

    /// <summary>Records a value the sandbox may use and production may not.</summary>
    public void SandboxOnly(string key, string problem, string fix) => _productionOnly.Add(Error(Find(key) ?? _node, problem, fix));

    public string File { get; }

    public string Path { get; }

    public int Line => (int)_node.Start.Line;

    private string Qualified(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private YamlNode? Find(string key)
    {
        _known.Add(key);
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public bool Has(string key) => Find(key) is not null;

    public YamlSection? Section(string key)
    {
        var node = Find(key);
        return node switch
        {
            null => null,
            YamlMappingNode m => new YamlSection(File, Qualified(key), m, _env, _productionOnly),
            YamlScalarNode { Value: null or "" or "~" } => null,
            _ => throw Error(node, $"'{Qualified(key)}' must be a section of keys", $"indent the settings of '{key}' below it"),
        };
    }

    public IReadOnlyList<YamlSection>? Sections(string key)
    {
        var node = Find(key);
        return node switch
        {
            null or YamlScalarNode { Value: null or "" or "~" } => null,
            YamlSequenceNode seq => seq.Children.Select((c, i) => c is YamlMappingNode m
                ? new YamlSection(File, $"{Qualified(key)}[{i.ToString(CultureInfo.InvariantCulture)}]", m, _env, _productionOnly)
                : throw Error(c, $"each item of '{Qualified(key)}' must be a set of keys", $"write each item as '- id: ...' with its keys indented below it")).ToList(),
            _ => throw Error(node, $"'{Qualified(key)}' must be a list of items", $"write each item on its own line as '- id: ...' below '{key}:'"),
        };
    }

    public string? String(string key, bool secret = false)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"'{Qualified(key)}' must be a single value", $"write '{key}: value'");
        }

        var raw = scalar.Value ?? string.Empty;
        if (secret && !EnvReference().IsMatch(raw))
        {
            throw Error(node, $"'{Qualified(key)}' holds a secret written into the file",
                $"write '{key}: ${{SOME_ENV_VAR}}' and set SOME_ENV_VAR in the environment; secrets never live in config files");
        }

        return Substitute(node, key, raw);
    }

    public string RequiredString(string key, string fix, bool secret = false)
    {
        if (String(key, secret) is { Length: > 0 } value)
        {
            return value;
        }

        // A misspelt key is the likelier cause of a missing one: point at it.
        foreach (var (k, _) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name != key && Distance(name, key) <= Math.Max(2, key.Length / 3))
            {
                throw Error(k, $"unknown key '{Qualified(name)}'", $"did you mean '{key}'?");
            }
        }

        throw Error(_node, $"'{Qualified(key)}' is missing", fix);
    }

    public Uri? Url(string key)
    {
        var value = String(key);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Error(Find(key)!, $"'{Qualified(key)}' is not an http(s) URL: '{value}'", "write a full URL such as https://api.example.com");
        }

        return uri;
    }

    public int? Int(string key, int min, int max)
    {
        var value = String(key);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            // No value is suggested: the smallest allowed one is rarely a good one (a batch of 1, a budget of 0).
            throw Error(Find(key)!, $"'{Qualified(key)}' must be a whole number from {min} to {max}, not '{value}'",
                $"write a whole number from {min} to {max} after '{key}:', or remove the line for the default");
        }

        return n;
    }

    public int Int(string key, int min, int max, int defaultValue)
    {
        var value = String(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw Error(Find(key)!, $"'{Qualified(key)}' must be a whole number from {min} to {max}, not '{value}'",
                $"write '{key}: {defaultValue.ToString(CultureInfo.InvariantCulture)}' (the default)");
        }

        return n;
    }

    public int RequestsPerMinute(string key, int max, int defaultValue)
    {
        var value = String(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (value == "unlimited")
        {
            return 0;
        }

        var fix = $"write '{key}: {defaultValue.ToString(CultureInfo.InvariantCulture)}' (the default, the platform's published limit), " +
                  $"or '{key}: unlimited' to turn the budget off";
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0 || n > max)
        {
            throw Error(Find(key)!, $"'{Qualified(key)}' must be a whole number from 1 to {max} or 'unlimited', not '{value}'", fix);
        }

        if (n == 0)
        {
            SandboxOnly(key, $"'{Qualified(key)}: 0' turns the request budget off, so nothing keeps the calls under the platform's limit", fix);
        }

        return n;
    }

    public bool? Bool(string key)
    {
        var value = String(key);
        return value switch
        {
            null => null,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(Find(key)!, $"'{Qualified(key)}' must be true or false, not '{value}'", $"write '{key}: true' or '{key}: false'"),
        };
    }

    public TimeSpan? Duration(string key)
    {
        var value = String(key);
        if (value is null)
        {
            return null;
        }

        var m = DurationPattern().Match(value.Trim());
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }

        throw Error(Find(key)!, $"'{Qualified(key)}' is not a duration: '{value}'", $"write a number with a unit, such as '{key}: 30s', '5m', '2h' or '1d'");
    }

    /// <summary>A duration, or <paramref name="defaultValue"/> (the documented default, which a wrong value's fix suggests) when absent.</summary>
    public TimeSpan Duration(string key, TimeSpan defaultValue)
    {
        try
        {
            return Duration(key) ?? defaultValue;
        }
        catch (ConfigException ex)
        {
            throw new ConfigException(ex.File, ex.Line, ex.Problem,
                $"write a number with a unit (ms, s, m, h, d), such as '{key}: {Show(defaultValue)}' (the default)");
        }
    }

    /// <summary>A duration the way the file writes it: 5m, 24h, 30s.</summary>
    public static string Show(TimeSpan value) =>
        value.TotalDays >= 1 && value.TotalDays == Math.Floor(value.TotalDays) ? $"{value.TotalDays:0}d"
        : value.TotalHours >= 1 && value.TotalHours == Math.Floor(value.TotalHours) ? $"{value.TotalHours:0}h"
        : value.TotalMinutes >= 1 && value.TotalMinutes == Math.Floor(value.TotalMinutes) ? $"{value.TotalMinutes:0}m"
        : value.TotalSeconds >= 1 && value.TotalSeconds == Math.Floor(value.TotalSeconds) ? $"{value.TotalSeconds:0}s"
        : $"{value.TotalMilliseconds:0}ms";

    public IReadOnlyList<string>? List(string key)
    {
        var node = Find(key);
        return node switch
        {
            null => null,
            YamlSequenceNode seq => seq.Children.Select(c => c is YamlScalarNode s ? s.Value ?? string.Empty
                : throw Error(c, $"'{Qualified(key)}' must be a list of values", $"write '{key}: [a, b]'")).ToList(),
            YamlScalarNode s => [s.Value ?? string.Empty],
            _ => throw Error(node, $"'{Qualified(key)}' must be a list", $"write '{key}: [a, b]'"),
        };
    }

    public IReadOnlyDictionary<string, string>? Map(string key)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            throw Error(node, $"'{Qualified(key)}' must be a set of 'name: value' pairs", $"indent 'name: value' lines below '{key}:'");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode ks || v is not YamlScalarNode vs)
            {
                throw Error(k, $"'{Qualified(key)}' must hold simple 'name: value' pairs", "write one 'name: value' per line");
            }

            result[ks.Value ?? string.Empty] = Substitute(v, ks.Value ?? string.Empty, vs.Value ?? string.Empty);
        }

        return result;
    }

    /// <summary>Rejects keys no reader asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (!_known.Contains(name))
            {
                var closest = _known.OrderBy(known => Distance(known, name)).FirstOrDefault();
                var fix = closest is not null && Distance(closest, name) <= Math.Max(2, name.Length / 3)
                    ? $"did you mean '{closest}'?"
                    : $"remove it; the keys allowed here are: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
                throw Error(k, $"unknown key '{Qualified(name)}'", fix);
            }
        }
    }

    Tributary.Core.Modules.IConfigSection? Tributary.Core.Modules.IConfigSection.Section(string key) => Section(key);

    IReadOnlyList<Tributary.Core.Modules.IConfigSection>? Tributary.Core.Modules.IConfigSection.Sections(string key) => Sections(key);

    Exception Tributary.Core.Modules.IConfigSection.Error(string problem, string fix) => Error(problem, fix);

    public ConfigException Error(YamlNode node, string problem, string fix) => new(File, (int)node.Start.Line, problem, fix);

    public ConfigException Error(string problem, string fix) => new(File, Line, problem, fix);

    private string Substitute(YamlNode node, string key, string raw)
    {
        var references = EnvReference().Matches(raw);
        if (references.Count > 0 && !(references.Count == 1 && references[0].Length == raw.Length))
        {
            // A value comes from the file or, whole, from the environment. Half of each puts part of a secret in the file, and
            // hides the value actually used from whoever reads the file (an address that silently changes with the environment).
            var name = references[0].Groups[1].Value;
            throw Error(node, $"'{Qualified(key)}' mixes ${{{name}}} with other text; a reference to the environment must be the whole value",
                $"put the whole value in the environment variable and write '{key}: ${{{name}}}', or write the whole value here");
        }

        return EnvReference().Replace(raw, m =>
        {
            var name = m.Groups[1].Value;
            var value = _env(name);
            if (string.IsNullOrEmpty(value))
            {
                throw Error(node, $"'{Qualified(key)}' needs the environment variable {name}, which is not set",
                    $"set it before starting Tributary, for example: export {name}=...");
            }

            return value;
        });
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$")]
    private static partial Regex DurationPattern();
}
