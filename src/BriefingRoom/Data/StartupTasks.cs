using BriefingRoom.Demo;
using BriefingRoom.Population;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

public static class StartupTasks
{
    /// <summary>Apply migrations when the app starts (the default); false when they are run apart, with a migration bundle.</summary>
    public const string MigrateOnStartSetting = "Briefing:MigrateOnStart";

    /// <summary>Brings the database to the committed schema, loads the shipped population table, and seeds the demo when asked, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        await using var preparing = await db.HoldPreparationLockAsync(app.Lifetime.ApplicationStopping);
        if (app.Configuration.GetValue(MigrateOnStartSetting, true))
        {
            await db.MigrateAsync(app.Lifetime.ApplicationStopping);
        }
        else if ((await db.Database.GetPendingMigrationsAsync(app.Lifetime.ApplicationStopping)).ToList() is { Count: > 0 } pending)
        {
            // Migrations are run apart (the bundle, with the schema owner's rights): an older schema is not ours to serve.
            throw new InvalidOperationException(
                $"The database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}) and {MigrateOnStartSetting} is false: run the migration bundle first (README, \"Production\").");
        }
        else if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", app.Lifetime.ApplicationStopping);
        }
        try
        {
            await PopulationTableStore.EnsureShippedTableAsync(db, app.Services.GetRequiredService<TimeProvider>(), app.Lifetime.ApplicationStopping);
        }
        catch (Exception ex) when (DatabaseErrors.IsLostRace(ex))
        {
            // Another instance starting at the same time loaded it.
            db.ChangeTracker.Clear();
        }

        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(app.Lifetime.ApplicationStopping);
    }
}
