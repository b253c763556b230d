namespace Tributary.Core.Modules;

/// <summary>
/// One section of the config file, as a connector module reads it: typed values with <c>${ENV}</c> substitution, and errors that
/// name the file, the line and the fix. Keys a reader never asked for are refused by <see cref="RejectUnknownKeys"/>, with the
/// closest known key as the fix.
/// </summary>
public interface IConfigSection
{
    /// <summary>The dotted path of this section (<c>source.commercetools</c>).</summary>
    string Path { get; }

    /// <summary>True when the key is present (and marks it as known).</summary>
    bool Has(string key);

    /// <summary>A nested section; null when the key is absent or empty.</summary>
    IConfigSection? Section(string key);

    /// <summary>A list of sections (<c>- id: 1</c> items, each a set of keys); null when the key is absent or empty.</summary>
    IReadOnlyList<IConfigSection>? Sections(string key);

    /// <summary>A single value; <paramref name="secret"/> requires it to be an environment reference.</summary>
    string? String(string key, bool secret = false);

    /// <summary>A value that must be present; a misspelt key near it is named instead of "missing".</summary>
    string RequiredString(string key, string fix, bool secret = false);

    /// <summary>An absolute http(s) URL.</summary>
    Uri? Url(string key);

    /// <summary>A whole number within bounds.</summary>
    int? Int(string key, int min, int max);

    /// <summary>A whole number within bounds, or <paramref name="defaultValue"/> (the documented default, which a wrong value's fix suggests) when absent.</summary>
    int Int(string key, int min, int max, int defaultValue);

    /// <summary>
    /// A request budget per minute: a whole number from 1 to <paramref name="max"/>, or <c>unlimited</c> (returned as 0: no
    /// budget); <paramref name="defaultValue"/> (the platform's published limit) when absent. A plain <c>0</c> also turns the
    /// budget off, but only in the sandbox: elsewhere it is refused, since it usually is a typo that lets a backfill run into
    /// the platform's own limit.
    /// </summary>
    int RequestsPerMinute(string key, int max, int defaultValue);

    /// <summary>true/false (also yes/no, on/off).</summary>
    bool? Bool(string key);

    /// <summary>A number with a unit: ms, s, m, h or d.</summary>
    TimeSpan? Duration(string key);

    /// <summary>A list of values (a single value is a list of one).</summary>
    IReadOnlyList<string>? List(string key);

    /// <summary>A set of <c>name: value</c> pairs.</summary>
    IReadOnlyDictionary<string, string>? Map(string key);

    /// <summary>Refuses keys no reader asked for.</summary>
    void RejectUnknownKeys();

    /// <summary>An error at this section's line, to throw.</summary>
    Exception Error(string problem, string fix);
}

/// <summary>Readings every connector's section shares.</summary>
public static class ConfigSectionExtensions
{
    /// <summary>Parses an enum value by name (any case), or fails naming the allowed values.</summary>
    public static T Enum<T>(this IConfigSection section, string key, string value)
        where T : struct, System.Enum
    {
        ArgumentNullException.ThrowIfNull(section);
        return System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw section.Error($"'{value}' is not a valid value in '{section.Path}.{key}'",
                $"use one of: {string.Join(", ", System.Enum.GetNames<T>())}");
    }
}
