using BriefingRoom.Realtime;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>An action armed to run once, at a moment a test hooks, and the task that says it ran (or how it failed).</summary>
public sealed class Once
{
    private Func<Task>? _act;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public void Arm(Func<Task> act) => _act = act;

    public async Task RunAsync()
    {
        if (Interlocked.Exchange(ref _act, null) is { } act)
        {
            try
            {
                await act();
                _done.TrySetResult();
            }
            catch (Exception ex)
            {
                _done.TrySetException(ex);
                throw;
            }
        }
    }
}

/// <summary>Acts once at JoinMeeting's step between a connection's admission to its group and the grain's confirmation.</summary>
public sealed class ActInGroup : JoinSteps
{
    public Once Once { get; } = new();

    public override Task InGroupAsync(int meetingId, string connectionId) => Once.RunAsync();
}
