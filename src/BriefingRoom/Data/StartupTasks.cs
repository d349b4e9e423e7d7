using BriefingRoom.Demo;
using BriefingRoom.Population;

namespace BriefingRoom.Data;

public static class StartupTasks
{
    /// <summary>Brings the database to the committed schema, loads the shipped population table, and seeds the demo when asked, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        await db.MigrateAsync(app.Lifetime.ApplicationStopping);
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
