using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BriefingRoom.Data;

/// <summary>
/// SQLite's PRAGMA synchronous, a per-connection setting, set on every connection the app opens. The default, FULL,
/// syncs the write-ahead log to disk at every commit: an acknowledged change survives a crash of the process and
/// of the machine. NORMAL (configuration "Briefing:SqliteSynchronous") syncs only at checkpoints: a change survives
/// kill -9 of the app, but the last commits before a power cut or a kernel crash can be lost.
/// </summary>
public sealed class SqliteSynchronous(string mode) : DbConnectionInterceptor
{
    public const string Setting = "Briefing:SqliteSynchronous";

    /// <summary>The interceptor for the configured mode, or null for FULL, SQLite's own default.</summary>
    public static SqliteSynchronous? From(IConfiguration configuration)
    {
        var mode = configuration[Setting];
        return mode?.ToUpperInvariant() switch
        {
            null or "" or "FULL" => null,
            "NORMAL" => new SqliteSynchronous("NORMAL"),
            _ => throw new InvalidOperationException($"{Setting} is '{mode}': use Full (the default) or Normal."),
        };
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={mode};";
        command.ExecuteNonQuery();
    }
}
