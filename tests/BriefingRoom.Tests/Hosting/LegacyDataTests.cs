using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BriefingRoom.Tests.Hosting;

/// <summary>A database written by an older version, started on this one: what older rules let in is brought in line.</summary>
public sealed class LegacyDataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("briefingroom-legacy-").FullName;

    [Fact]
    public async Task LineBreaksStoredInAMeetingsLabelsBeforeTheyWereRefusedBecomeSpacesSoThePageCanCloseIt()
    {
        await using (var older = new BriefingApp(directory: _directory))
        {
            _ = older.Services;
        }

        // As the API let a chair store them before labels refused line breaks, in a database not yet past this migration.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "briefingroom.db")};Pooling=false"))
        {
            await connection.OpenAsync(TestHttp.Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE "Meetings" SET "Title" = 'Special meeting' || char(10) || 'of the European Council', "Place" = 'Brussels' || char(13, 10),
                    "DistributionMarking" = 'LIMITE' || char(8232) || 'EU internal' WHERE "Id" = 1;
                UPDATE "Participants" SET "HeadOfDelegation" = 'Emmanuel' || char(10) || 'Macron' WHERE "MeetingId" = 1 AND "DelegationCode" = 'FR';
                DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_OneLineLabels';
                """;
            Assert.Equal(3, await command.ExecuteNonQueryAsync(TestHttp.Ct));
        }

        await using var app = new BriefingApp(directory: _directory);
        var chair = await app.SignInAsync("chair");
        var meeting = await (await chair.GetAsync("/api/meetings/1", TestHttp.Ct)).ReadAsync<MeetingSnapshot>();
        Assert.Equal("Special meeting of the European Council", meeting.Meeting.Title);
        Assert.Equal("Brussels", meeting.Meeting.Place);
        Assert.Equal("LIMITE EU internal", meeting.Meeting.DistributionMarking);
        Assert.Equal("Emmanuel Macron", meeting.Participants.Single(p => p.DelegationCode == "FR").HeadOfDelegation);

        // What the page sends to close the meeting: its labels as they are.
        var m = meeting.Meeting;
        var closed = await chair.PutJsonAsync("/api/meetings/1", new
        {
            title = m.Title, date = m.Date, place = m.Place, documentNumber = m.DocumentNumber, status = "closed",
            distributionMarking = m.DistributionMarking, reservationAttribution = m.ReservationAttribution, expectedVersion = m.Version,
        });
        await closed.ShouldBeAsync(200);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
