namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A fault put in front of one meeting's grain: a change of type <typeparamref name="TChange"/> sent to meeting
/// <paramref name="meetingId"/> throws, the first <paramref name="times"/> times it arrives (every time by default).
/// Register it on every instance that may hold the grain: <c>s.AddSingleton&lt;IIncomingGrainCallFilter&gt;(fault)</c>.
/// </summary>
public sealed class ChangeFailsIn<TChange>(int meetingId, int times = int.MaxValue) : IIncomingGrainCallFilter
{
    private int _arrived;

    /// <summary>How many times it threw.</summary>
    public int Failed => Math.Min(Volatile.Read(ref _arrived), times);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.Name == "Change" && context.Request.GetArgument(1) is TChange
            && context.TargetId.TryGetIntegerKey(out var key, out _) && key == meetingId
            && Interlocked.Increment(ref _arrived) <= times)
        {
            throw new InvalidOperationException($"Meeting {meetingId} cannot take changes (a fault of the test).");
        }

        return context.Invoke();
    }
}
