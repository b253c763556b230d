namespace Tributary.Host.Configuration;

/// <summary>A configuration problem, naming the file, the line, what is wrong and how to fix it.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, int line, string problem, string fix)
        : base($"{file}:{line}: {problem}{Environment.NewLine}  fix: {fix}")
    {
        File = file;
        Line = line;
        Problem = problem;
        Fix = fix;
    }

    public string File { get; }

    public int Line { get; }

    public string Problem { get; }

    public string Fix { get; }
}
