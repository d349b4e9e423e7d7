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
}
