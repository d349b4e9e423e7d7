using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>One entry the app logged, as a test reads it back.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category} {EventId.Name}: {Message} {Exception?.GetType().Name}";
}

/// <summary>
/// A logger provider that keeps every entry the app writes. Registered as a service it sits in the app's own logging
/// pipeline, behind its own filters: what it does not see, the console does not either.
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>Every entry at <see cref="LogLevel.Error"/> or above, in words, for an assertion that names them.</summary>
    public IReadOnlyList<string> Errors => [.. Entries.Where(l => l.Level >= LogLevel.Error).Select(l => l.ToString())];

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, Entries);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<LogEntry> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
