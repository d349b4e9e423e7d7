using BriefingRoom.Population;

namespace BriefingRoom.Tally;

public static class TallySetup
{
    /// <summary>The live tally, the stateless calculator and the population tables they read.</summary>
    public static IServiceCollection AddTally(this IServiceCollection services)
    {
        services.AddScoped<TallyService>();
        services.AddScoped<PopulationTableService>();
        services.AddScoped<VotingCalculator>();
        return services;
    }
}
