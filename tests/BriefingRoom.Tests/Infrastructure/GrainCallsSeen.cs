using BriefingRoom.Data;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// Signals once a grain method, armed by name, has been answered (the caller has its answer on the way); "Texts" and
/// "Change" as they are asked, since they may wait in the grain for a change to finish.
/// </summary>
public sealed class GrainCallsSeen : IIncomingGrainCallFilter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _armed = [];

    public Task Arm(string method)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _armed[method] = seen;
        }

        return seen.Task;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        TaskCompletionSource? seen;
        lock (_lock)
        {
            _armed.Remove(context.InterfaceMethod.Name, out seen);
        }

        if (context.InterfaceMethod.Name is "Texts" or "Change")
        {
            // Texts: signal as it is asked (it may wait in the grain for a change to finish).
            seen?.TrySetResult();
            await context.Invoke();
            return;
        }

        await context.Invoke();
        seen?.TrySetResult();
    }
}

public static class HeldAndWatched
{
    /// <summary>The app with a database command it can hold (<paramref name="hold"/>) and its grain calls watched (<paramref name="calls"/>).</summary>
    public static BriefingApp HoldingAndWatching(this BriefingApp app, HoldingInterceptor hold, GrainCallsSeen calls) => app.WithServices(s =>
    {
        s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(hold));
        s.AddSingleton<IIncomingGrainCallFilter>(calls);
    });
}
