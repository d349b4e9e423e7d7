using BriefingRoom.Drafting.Ot;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Proposals;

/// <summary>
/// Proposals stay on their words while everyone types: many random concurrent operations from several clients over the
/// real hub, proposals tabled, backed and accepted meanwhile, and at the end the server's spans, every client's spans
/// (moved by the client through the operations it received) and the text itself all agree.
/// </summary>
public class ProposalAnchoringTests
{
    private const int Item = 3;
    private const string Draft = "draft:3";
    private const string M = "/api/meetings/1";

    /// <summary>Marker words in Greek capitals: random typing inserts only Latin letters and deletes only what is not Greek.</summary>
    private static readonly string[] Markers = ["ΑΛΦΑ", "ΒΗΤΑ", "ΓΑΜΜΑ", "ΔΕΛΤΑ", "ΖΗΤΑ"];

    private static bool IsMarker(char c) => c is >= 'Α' and <= 'Ω';

    public static TheoryData<bool> Transports => [false, true];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ProposalSpansFollowRandomConcurrentEditsAndEveryClientAgreesWithTheServer(bool realSockets)
    {
        await using var app = new BriefingApp(realSockets);
        using var chairHttp = await app.SignInAsync("chair");
        string[] typists = ["fr", "de", "pl", "secretariat"];
        var clients = new List<RoomClient>();
        foreach (var who in typists)
        {
            clients.Add(await RoomClient.JoinAsync(app, who));
        }

        // The draft gets the marker words, and a point "Ω" after which an insertion is proposed.
        var setup = clients[3];
        setup.Append(Draft, $"\n{Markers[0]} one {Markers[1]} two {Markers[2]} three {Markers[3]}Ω four {Markers[4]} end.");
        await setup.WaitUntilAsync(c => c.IsSynchronized(Draft), "the markers are committed");
        var start = app.ServerText(Draft);
        var revision = app.ServerRevision(Draft);

        async Task<ProposalDto> TableAsync(HttpClient http, int from, int to, int at, string replacement)
        {
            var response = await http.PostJsonAsync($"{M}/items/{Item}/proposals", new { from, to, revision = at, replacement, reason = "Clearer." });
            await response.ShouldBeAsync(200);
            return await response.ReadAsync<ProposalDto>();
        }

        using var franceHttp = await app.SignInAsync("fr");
        using var polandHttp = await app.SignInAsync("pl");
        var alpha = await TableAsync(franceHttp, start.IndexOf(Markers[0], StringComparison.Ordinal), start.IndexOf(Markers[0], StringComparison.Ordinal) + Markers[0].Length, revision, "alpha");
        var beta = await TableAsync(polandHttp, start.IndexOf(Markers[1], StringComparison.Ordinal), start.IndexOf(Markers[1], StringComparison.Ordinal) + Markers[1].Length, revision, "beta accepted");
        var gamma = await TableAsync(franceHttp, start.IndexOf(Markers[2], StringComparison.Ordinal), start.IndexOf(Markers[2], StringComparison.Ordinal) + Markers[2].Length, revision, "");
        var point = start.IndexOf('Ω', StringComparison.Ordinal);
        var insertion = await TableAsync(polandHttp, point, point, revision, " inserted");

        const int Operations = 40;
        var random = new Random(20261201);
        ProposalDto? zeta = null;
        // France backs Poland's proposal before the secretariat accepts it: the typists run side by side, so the
        // secretariat waits for this rather than trusting that its 25th keystroke comes after France's 15th.
        var backed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var typing = clients.Select((client, n) => Task.Run(async () =>
        {
            for (var k = 0; k < Operations; k++)
            {
                int roll, at, length;
                lock (random)
                {
                    roll = random.Next(10);
                    at = random.Next(0, 2000);
                    length = random.Next(1, 5);
                }

                if (n == 1 && k == 10)
                {
                    // Germany deletes every word of one proposal's span.
                    client.Edit(Draft, text =>
                    {
                        var (from, to) = MarkerIn(text, Markers[2]);
                        return TextOperation.Builder().Retain(from).Delete(to - from).Retain(text.Length - to).Build();
                    });
                }
                else if (roll < 6)
                {
                    client.Edit(Draft, text =>
                    {
                        var i = at % (text.Length + 1);
                        // Now and then exactly at a span's edge or at the insertion point.
                        if (roll == 0)
                        {
                            var m = text.IndexOf(Markers[(at / 7) % Markers.Length], StringComparison.Ordinal);
                            i = m < 0 ? i : at % 2 == 0 ? m : m + Markers[(at / 7) % Markers.Length].Length;
                        }
                        else if (roll == 1)
                        {
                            i = text.IndexOf('Ω', StringComparison.Ordinal);
                        }

                        return TextOperation.Builder().Retain(i).Insert($"{typists[n][0]}{k}é").Retain(text.Length - i).Build();
                    });
                }
                else
                {
                    client.Edit(Draft, text =>
                    {
                        var i = at % Math.Max(1, text.Length - length);
                        var cut = Math.Min(length, text.Length - i);
                        if (cut <= 0 || text.AsSpan(i, cut).ContainsAny(Greek) || char.IsLowSurrogate(text[i]) || (i + cut < text.Length && char.IsLowSurrogate(text[i + cut])))
                        {
                            return TextOperation.Builder().Retain(i).Insert("x").Retain(text.Length - i).Build();
                        }

                        return TextOperation.Builder().Retain(i).Delete(cut).Retain(text.Length - i - cut).Build();
                    });
                }

                if (k % 4 == 3)
                {
                    await client.WaitUntilAsync(c => c.IsSynchronized(Draft), "the typist's operations are acknowledged");
                }

                if (n == 2 && k == 20)
                {
                    zeta = await TableFromClientAsync(client, Markers[4]);
                }

                if (n == 0 && k == 15)
                {
                    await client.Hub.InvokeAsync<ProposalDto>("SupportProposal", 1, beta.Id, new { voice = "back" }, TestContext.Current.CancellationToken);
                    backed.SetResult();
                }

                if (n == 3 && k == 25)
                {
                    // The secretariat accepts Poland's proposal while the others type.
                    await backed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
                    await client.Hub.InvokeAsync<ProposalDto>("AcceptProposal", 1, beta.Id, TestContext.Current.CancellationToken);
                }
            }
        }, TestContext.Current.CancellationToken)).ToList();
        await Task.WhenAll(typing);

        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.IsSynchronized(Draft), "every operation is acknowledged");
        }

        var server = app.ServerText(Draft);
        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.TextOf(Draft) == server, "every operation arrives");
            Assert.Empty(client.Errors);
        }

        Assert.True(app.ServerRevision(Draft) > typists.Length * Operations / 2, "the operations interleaved on the server");
        var listed = (await chairHttp.GetJsonAsync<List<ProposalDto>>($"{M}/items/{Item}/proposals")).ToDictionary(p => p.Id);
        var serverRevision = app.ServerRevision(Draft);

        // The server's spans, by the words they are on.
        var a = listed[alpha.Id];
        Assert.Equal(ProposalStatus.Open, a.Status);
        Assert.Equal(serverRevision, a.Span.Revision);
        AssertOnMarker(server, a.Span, Markers[0]);
        var g = listed[gamma.Id];
        Assert.True(g.Span.Deleted, "the span whose words were all deleted says so");
        Assert.Equal(g.Span.From, g.Span.To);
        var i = listed[insertion.Id];
        Assert.Equal(i.Span.From, i.Span.To);
        Assert.Equal('Ω', server[i.Span.From]);
        Assert.NotNull(zeta);
        AssertOnMarker(server, listed[zeta!.Id].Span, Markers[4]);
        var b = listed[beta.Id];
        Assert.Equal(ProposalStatus.Accepted, b.Status);
        Assert.DoesNotContain(Markers[1], server, StringComparison.Ordinal);
        Assert.Equal(["FR"], b.Backers);

        // Every client moved every open span to the same place as the server, through the operations it received.
        foreach (var client in clients)
        {
            var known = ProposalTracker.ProposalsOf(client);
            foreach (var (id, p) in listed.Where(p => p.Value.Status == ProposalStatus.Open))
            {
                Assert.Equal(p.Span, known[id].Span);
            }

            Assert.Equal(ProposalStatus.Accepted, known[beta.Id].Status);
        }

        // An activation that starts from the database moves the spans to the same place (stored spans + the log).
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<Live.IMeetingGrain>(1).Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        var again = (await chairHttp.GetJsonAsync<List<ProposalDto>>($"{M}/items/{Item}/proposals")).ToDictionary(p => p.Id);
        foreach (var (id, p) in listed)
        {
            Assert.Equal(p.Span, again[id].Span);
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static readonly System.Buffers.SearchValues<char> Greek = System.Buffers.SearchValues.Create([.. Enumerable.Range('Α', 'Ω' - 'Α' + 1).Select(c => (char)c)]);

    /// <summary>The span is on the marker's words: they survive inside it in order, and text typed at its edges stayed outside.</summary>
    private static void AssertOnMarker(string text, ProposalSpanDto span, string marker)
    {
        Assert.False(span.Deleted);
        var words = text[span.From..span.To];
        Assert.Equal(marker, new string([.. words.Where(IsMarker)]));
        Assert.Equal(marker[0], words[0]);
        Assert.Equal(marker[^1], words[^1]);
    }

    /// <summary>Tables a proposal over the hub on the client's own synchronized copy of the draft, at its revision.</summary>
    private static async Task<ProposalDto> TableFromClientAsync(RoomClient client, string marker)
    {
        while (true)
        {
            await client.WaitUntilAsync(c => c.IsSynchronized(Draft), "nothing of ours is in flight");
            var revision = client.RevisionOf(Draft);
            var text = client.TextOf(Draft);
            if (client.RevisionOf(Draft) != revision || !client.IsSynchronized(Draft))
            {
                continue;
            }

            var (from, to) = MarkerIn(text, marker);
            return await client.Hub.InvokeAsync<ProposalDto>("TableProposal", 1, Item,
                new { from, to, revision, replacement = "zeta", reason = (string?)null }, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Where a marker word is in the text, from its first letter to its last: random typing may have put Latin letters
    /// between them (never Greek ones, and it deletes no Greek), so the word is its letters in order with others between.
    /// </summary>
    private static (int From, int To) MarkerIn(string text, string marker)
    {
        for (var start = text.IndexOf(marker[0], StringComparison.Ordinal); start >= 0; start = text.IndexOf(marker[0], start + 1))
        {
            var (at, matched) = (start, 0);
            while (at < text.Length && matched < marker.Length && (!IsMarker(text[at]) || text[at] == marker[matched]))
            {
                matched += IsMarker(text[at]) ? 1 : 0;
                at++;
            }

            if (matched == marker.Length)
            {
                return (start, at);
            }
        }

        throw new InvalidOperationException($"The marker {marker} is not in the text: {text}");
    }
}
