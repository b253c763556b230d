using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tributary.Tests.Support;

/// <summary>A logger factory that keeps every line written through it, with its exception, for tests to read back.</summary>
public sealed class CapturingLoggers : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();

    /// <summary>Every line so far, in order.</summary>
    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void AddProvider(ILoggerProvider provider)
    {
        // Lines are kept here; other providers are not needed in tests.
    }

    public void Dispose()
    {
        // Nothing held.
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new CapturedLine(category, logLevel, formatter(state, exception), exception));
    }
}

/// <summary>One captured log line.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, Exception? Exception);
