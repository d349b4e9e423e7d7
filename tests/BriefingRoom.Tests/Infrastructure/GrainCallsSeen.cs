using BriefingRoom.Data;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// Signals once a grain method, armed by name, has been answered (the caller has its answer on the way); "Texts" and
/// "Change" as they are asked, since they may wait in the grain for a change to finish. <see cref="ArmAsked"/> signals any
/// method as it is asked; <see cref="HoldAnswer"/> keeps a call's answer from its caller until released (a request
/// admitted by the grain, whose next step comes later).
/// </summary>
public sealed class GrainCallsSeen : IIncomingGrainCallFilter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _armed = [];
    private readonly Dictionary<string, TaskCompletionSource> _asked = [];
    private readonly Dictionary<string, (TaskCompletionSource Answered, Task Released)> _held = [];

    public Task Arm(string method)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _armed[method] = seen;
        }

        return seen.Task;
    }

    /// <summary>Signals once the method is asked, whether or not it answers (a call that may wait in the grain).</summary>
    public Task ArmAsked(string method)
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _asked[method] = asked;
        }

        return asked.Task;
    }

    /// <summary>Holds the next answer of the method once computed (the grain goes on with other calls) until <c>release</c>.</summary>
    public (Task Answered, Action Release) HoldAnswer(string method)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _held[method] = (answered, released.Task);
        }

        return (answered.Task, () => released.TrySetResult());
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        TaskCompletionSource? seen;
        TaskCompletionSource? asked;
        bool hold;
        (TaskCompletionSource Answered, Task Released) held;
        lock (_lock)
        {
            _armed.Remove(context.InterfaceMethod.Name, out seen);
            _asked.Remove(context.InterfaceMethod.Name, out asked);
            hold = _held.Remove(context.InterfaceMethod.Name, out held);
        }

        asked?.TrySetResult();

        if (context.InterfaceMethod.Name is "Texts" or "Change")
        {
            // Texts: signal as it is asked (it may wait in the grain for a change to finish).
            seen?.TrySetResult();
            await context.Invoke();
            return;
        }

        await context.Invoke();
        seen?.TrySetResult();
        if (hold)
        {
            held.Answered.TrySetResult();
            await held.Released;
        }
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
