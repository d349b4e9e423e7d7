namespace BriefingRoom.Meetings;

/// <summary>
/// Drops the cached rooms (<see cref="SnapshotCache"/>) of every instance, for a change that is in every room but moves
/// no meeting's number by itself (a population table). One instance: its own cache; several: <c>ScaleOut/RoomsForgettingEverywhere</c>.
/// </summary>
public interface IRoomsForgetting
{
    Task ForgetEverywhereAsync();
}

internal sealed class RoomsForgettingHere(SnapshotCache rooms) : IRoomsForgetting
{
    public Task ForgetEverywhereAsync()
    {
        rooms.Forget();
        return Task.CompletedTask;
    }
}
