using BriefingRoom.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>A presence store that forwards every call to the app's own; a test overrides the call it watches or holds.</summary>
public class PresenceStoreDecorator(IPresenceStore inner) : IPresenceStore
{
    /// <summary>Puts <paramref name="decorate"/> around the app's registered presence store (in memory, or Redis).</summary>
    public static void Wrap(IServiceCollection services, Func<IPresenceStore, IPresenceStore> decorate)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPresenceStore));
        services.Remove(original);
        services.AddSingleton(sp => decorate(
            (IPresenceStore)(original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }

    public virtual Task AddAsync(PresenceEntry entry) => inner.AddAsync(entry);

    public virtual Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId) => inner.FocusAsync(connectionId, meetingId, itemId);

    public virtual Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId) => inner.RemoveAsync(connectionId, meetingId);

    public virtual Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId) => inner.RemoveConnectionAsync(connectionId);

    public virtual Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId) => inner.ListAsync(meetingId);
}

/// <summary>
/// Wraps an app's presence store so that, once armed, the next list of a meeting's room is read at once, and then held
/// (a slow Redis or database) until <see cref="Release"/>; <see cref="Reached"/> says it has been read.
/// </summary>
public sealed class PresenceListGate
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    public Task Reached => _reached.Task;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public void Release() => _release.TrySetResult();

    public void Wrap(IServiceCollection services) => PresenceStoreDecorator.Wrap(services, inner => new Held(inner, this));

    private sealed class Held(IPresenceStore inner, PresenceListGate gate) : PresenceStoreDecorator(inner)
    {
        public override async Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId)
        {
            var entries = await base.ListAsync(meetingId);
            if (Interlocked.Exchange(ref gate._armed, 0) == 1)
            {
                gate._reached.TrySetResult();
                await gate._release.Task;
            }

            return entries;
        }
    }
}

/// <summary>Acts once, inside the meeting's grain, right after it has answered a join and before the answer reaches the hub.</summary>
public sealed class AfterJoin : Orleans.IIncomingGrainCallFilter
{
    public Once Once { get; } = new();

    public async Task Invoke(Orleans.IIncomingGrainCallContext context)
    {
        await context.Invoke();
        if (context.InterfaceMethod.Name == "Join")
        {
            await Once.RunAsync();
        }
    }
}
