namespace BriefingRoom.Tests.Infrastructure;

/// <summary>The chair's change of meeting 1's own details, as the page sends it: every other field as it stands.</summary>
public static class MeetingDetails
{
    public static async Task ChangeAsync(HttpClient chair, string? title = null, string? place = null)
    {
        var meeting = (await chair.GetJsonAsync<BriefingRoom.Meetings.MeetingSnapshot>("/api/meetings/1")).Meeting;
        await (await chair.PutJsonAsync("/api/meetings/1", new
        {
            title = title ?? meeting.Title, date = meeting.Date, place = place ?? meeting.Place, documentNumber = meeting.DocumentNumber,
            status = meeting.Status, distributionMarking = meeting.DistributionMarking, reservationAttribution = meeting.ReservationAttribution,
            expectedVersion = meeting.Version,
        })).ShouldBeAsync(200);
    }
}
