using System.Text.RegularExpressions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Two instances of the app on two loopback ports, sharing one PostgreSQL database and one Redis, as they would
/// behind a load balancer. Skipped when the servers are not configured (see <see cref="ExternalServices"/>).
/// </summary>
public sealed class ScaleOutTests : TwoInstancesTest
{
    private const string Draft = "draft:1";

    private string ServerText() => A.ServerText(Draft);

    [Fact]
    public async Task ADelegateOnOneInstanceSeesTheEditsOfADelegateOnTheOtherInTheSameOrderAsEveryone()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        await using var germany = await RoomClient.JoinAsync(B, "de");
        await using var watcherA = await RoomClient.JoinAsync(A, "observer");
        await using var watcherB = await RoomClient.JoinAsync(B, "secretariat");

        france.Insert(Draft, 0, "Paris. ");
        germany.Append(Draft, " Berlin.");
        var chair = await B.SignInAsync("chair");
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);

        await germany.WaitUntilAsync(c => c.TextOf(Draft).StartsWith("Paris. ", StringComparison.Ordinal), "Germany, on B, sees France's edit made on A");
        await france.WaitUntilAsync(c => c.TextOf(Draft).EndsWith(" Berlin.", StringComparison.Ordinal), "France, on A, sees Germany's edit made on B");
        var last = A.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);
        await watcherA.WaitUntilAsync(c => c.LastSeq == last, "the watcher on A has everything");
        await watcherB.WaitUntilAsync(c => c.LastSeq == last, "the watcher on B has everything");
        Assert.Equal(watcherA.Events.Select(e => (e.Seq, e.Type)), watcherB.Events.Select(e => (e.Seq, e.Type)));
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), watcherA.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task ConcurrentTypingThroughBothInstancesConvergesWithGapFreeSequencesAndRevisions()
    {
        string[] typists = ["fr", "de", "it", "es"];
        var clients = new List<RoomClient>();
        for (var n = 0; n < typists.Length; n++)
        {
            clients.Add(await RoomClient.JoinAsync(n % 2 == 0 ? A : B, typists[n]));
        }

        await Task.WhenAll(clients.Select((client, n) => Task.Run(async () =>
        {
            for (var k = 0; k < 15; k++)
            {
                client.InsertOutsideMarks(Draft, k * 7 % 50, $"[{typists[n]}{k}]");
                if (k % 3 == 2)
                {
                    await client.WaitUntilAsync(c => c.IsSynchronized(Draft), "the typist's keystrokes are acknowledged");
                }
            }
        }, TestContext.Current.CancellationToken)));
        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.IsSynchronized(Draft), "every keystroke is acknowledged");
        }

        var server = ServerText();
        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.TextOf(Draft) == server, "everyone arrives at the server's text");
            Assert.Empty(client.Errors);
        }

        foreach (var who in typists)
        {
            for (var k = 0; k < 15; k++)
            {
                Assert.Single(Regex.Matches(server, Regex.Escape($"[{who}{k}]")));
            }
        }

        var seqs = A.WithDb(db => db.Events.Where(e => e.MeetingId == 1).OrderBy(e => e.Seq).Select(e => e.Seq).ToList());
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        var revisions = A.WithDb(db => db.TextEdits.Where(t => t.DocumentId == Draft).OrderBy(t => t.Revision).Select(t => t.Revision).ToList());
        Assert.Equal(Enumerable.Range(1, revisions.Count), revisions);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task StoppingAnInstanceMovesItsClientsToTheOtherWhereTheyCatchUpWithNothingLost()
    {
        var useB = false;
        var token = await A.TokenForAsync("fr");
        await using var france = await RoomClient.JoinAsync(() => (useB ? B : A).NewHubConnection(token), () => (useB ? B : A).SnapshotAsync(token, 1), "fr");
        await using var italy = await RoomClient.JoinAsync(B, "it");
        france.Insert(Draft, 0, "Before. ");
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "France's first edit is committed through A");

        await A.DisposeAsync();
        france.Insert(Draft, 0, "While A is down. ");
        italy.Append(Draft, " Italy goes on.");
        await italy.WaitUntilAsync(c => c.IsSynchronized(Draft), "Italy's edit is committed through B");

        // The load balancer now sends France to B; its token, issued by A, is good there too (shared keys).
        useB = true;
        await france.ReconnectAsync();
                await france.WaitUntilAsync(c => c.IsSynchronized(Draft) && c.TextOf(Draft) == B.ServerText(Draft), "France catches up on B and its offline edit is committed");
        await italy.WaitUntilAsync(c => c.TextOf(Draft) == france.TextOf(Draft), "Italy sees France's offline edit");
        Assert.StartsWith("While A is down. Before. ", france.TextOf(Draft), StringComparison.Ordinal);
        Assert.EndsWith(" Italy goes on.", france.TextOf(Draft), StringComparison.Ordinal);
        A = B;
    }

    [Fact]
    public async Task TheMeetingsGrainMovesToTheOtherInstanceMidTypingAndNothingIsLost()
    {
        var franceOnB = false;
        var token = await A.TokenForAsync("fr");
        // France joins first, through A: the meeting's grain starts there (it prefers the silo of its first caller).
        await using var france = await RoomClient.JoinAsync(() => (franceOnB ? B : A).NewHubConnection(token), () => (franceOnB ? B : A).SnapshotAsync(token, 1), "fr");
        Assert.True(await HostsMeetingAsync(A), "the meeting's grain runs on A");
        await using var germany = await RoomClient.JoinAsync(B, "de");
        await using var italy = await RoomClient.JoinAsync(B, "it");
        RoomClient[] typists = [france, germany, italy];

        for (var round = 0; round < 30; round++)
        {
            foreach (var typist in typists)
            {
                typist.Append(Draft, $" {typist.Who}{round}");
            }

            if (round == 10)
            {
                // A stops while operations are in flight: its grain goes, B's silo takes the meeting over from the database.
                var stopping = A.DisposeAsync();
                franceOnB = true;
                await stopping;
                await france.ReconnectAsync();
            }
        }

        foreach (var typist in typists)
        {
            await typist.WaitUntilAsync(c => c.IsSynchronized(Draft), $"{typist.Who}'s last operation is acknowledged", TimeSpan.FromSeconds(60));
        }

        Assert.True(await HostsMeetingAsync(B), "the meeting's grain now runs on B");
        var server = B.ServerText(Draft);
        foreach (var typist in typists)
        {
            await typist.WaitUntilAsync(c => c.TextOf(Draft) == server, $"{typist.Who} has the server's text");
            // France's connection died with A (its calls in flight failed with it and were sent again); nobody was refused anything.
            Assert.DoesNotContain(typist.Errors, e => e.Contains("HubException", StringComparison.Ordinal));
            for (var round = 0; round < 30; round++)
            {
                Assert.Single(System.Text.RegularExpressions.Regex.Matches(server, $" {typist.Who}{round}(?![0-9])"));
            }
        }

        var seqs = B.WithDb(db => db.Events.Where(e => e.MeetingId == 1).OrderBy(e => e.Seq).Select(e => e.Seq).ToList());
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        var revisions = B.WithDb(db => db.TextEdits.Where(t => t.DocumentId == Draft).OrderBy(t => t.Revision).Select(t => t.Revision).ToList());
        Assert.Equal(Enumerable.Range(1, revisions.Count), revisions);
        A = B;
    }

    /// <summary>Whether the instance's silo holds an activation of meeting 1's grain.</summary>
    private static async Task<bool> HostsMeetingAsync(BriefingApp instance)
    {
        var silo = instance.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress;
        var management = instance.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<Orleans.Runtime.IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics(null, [silo]);
        return stats.Any(s => s.GrainType.Contains(nameof(global::BriefingRoom.Live.MeetingGrain), StringComparison.Ordinal) && s.GrainId.Key.ToString() == "1");
    }

    [Fact]
    public async Task PresenceCoversBothInstances()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        await using var germany = await RoomClient.JoinAsync(B, "de");

        await france.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "France, on A, sees Germany, on B");
        await germany.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "FR") == true, "Germany, on B, sees France, on A");
    }

    [Fact]
    public async Task ACookieIssuedByOneInstanceWorksOnTheOther()
    {
        var browserOnA = A.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = A.BaseAddress });
        var login = await browserOnA.PostJsonAsync("/api/auth/login?useCookies=true", new { email = "chair@briefing.example", password = BriefingApp.Password });
        await login.ShouldBeAsync(200);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("briefing.auth=", StringComparison.Ordinal)).Split(';')[0];

        var onB = B.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = B.BaseAddress });
        onB.DefaultRequestHeaders.Add("Cookie", cookie);
        await (await onB.GetAsync("/api/meetings/1", TestContext.Current.CancellationToken)).ShouldBeAsync(200);
    }
}
