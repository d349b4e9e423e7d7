using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

public static class DatabaseErrors
{
    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        // SQLITE_CONSTRAINT_PRIMARYKEY (1555) or SQLITE_CONSTRAINT_UNIQUE (2067)
        SqliteException s => s.SqliteExtendedErrorCode is 1555 or 2067,
        // PostgreSQL unique_violation, without a compile-time dependency on the provider
        System.Data.Common.DbException d => d.SqlState == "23505",
        _ => false,
    };

    /// <summary>A concurrent transaction made this one impossible to serialize (PostgreSQL serialization_failure or deadlock).</summary>
    public static bool IsSerializationFailure(Exception ex) =>
        (ex as System.Data.Common.DbException ?? ex.InnerException as System.Data.Common.DbException)?.SqlState is "40001" or "40P01";

    /// <summary>
    /// Another writer got there first: an optimistic-concurrency miss, a duplicate key, or a transaction that lost
    /// to a concurrent one. The whole change can be tried again on fresh data.
    /// </summary>
    public static bool IsLostRace(Exception ex) =>
        ex is DbUpdateConcurrencyException || (ex is DbUpdateException update && IsUniqueViolation(update)) || IsSerializationFailure(ex);
}
