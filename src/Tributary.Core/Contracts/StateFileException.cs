namespace Tributary.Core.Contracts;

/// <summary>
/// The state store cannot be used as it is: the file is damaged or is not a state file. Said plainly with its fix; nothing was
/// read or sent.
/// </summary>
public sealed class StateFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateFileException(string problem, string fix, Exception? inner = null)
        : base($"{problem} Fix: {fix}", inner)
    {
        Problem = problem;
        Fix = fix;
    }

    /// <summary>What is wrong, in one sentence.</summary>
    public string Problem { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }
}
