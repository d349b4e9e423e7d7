using BriefingRoom.Realtime;

namespace BriefingRoom.Live;

/// <summary>
/// Calls to a meeting's grain while it moves between instances (one stopped, or a commit failed and the grain restarts
/// from the database) meet a moment when nobody answers. A text operation is applied once by its client operation id,
/// so it is simply asked again; any other change is answered "busy, try again", since whether it happened cannot be told.
/// </summary>
public static class GrainCalls
{
    private const int Attempts = 6;

    /// <summary>Repeats a call that is safe to repeat until the meeting's grain answers (or it has tried for about three seconds).</summary>
    public static async Task<Outcome<T>> RepeatableAsync<T>(Func<Task<Outcome<T>>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await call();
                if (outcome.Refusal is BusyRefusal && attempt < Attempts)
                {
                    await Task.Delay(Backoff(attempt));
                    continue;
                }

                return outcome;
            }
            catch (Exception ex) when (IsMoving(ex) && attempt < Attempts)
            {
                await Task.Delay(Backoff(attempt));
            }
            catch (Exception ex) when (IsMoving(ex))
            {
                return Moving();
            }
        }
    }

    /// <summary>Makes a call that must not be repeated blindly: if the grain is moving, the caller is told to try again.</summary>
    public static async Task<Outcome<T>> OnceAsync<T>(Func<Task<Outcome<T>>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (IsMoving(ex))
        {
            return Moving();
        }
    }

    /// <summary>What a caller is told when the meeting's grain does not answer now (moving, or starting again).</summary>
    public static BusyRefusal Moving() =>
        new("The meeting did not answer just now (it may be moving to another server, or starting again); try again in a moment.", TimeSpan.FromSeconds(1));

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(50 * (1 << attempt));

    /// <summary>
    /// Whether a grain call failed because the meeting's grain does not answer now: its instance stopped, the call timed
    /// out, or the activation broke and is starting again (<c>MeetingGrain.ThrowIfBroken</c>). Whatever the call, the
    /// caller may try again in a moment.
    /// </summary>
    public static bool IsMoving(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException;
}
