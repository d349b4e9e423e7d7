using System.Net.Http.Json;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// The room as a snapshot taken while a change is being read back into the meeting's grain, and the hub's answers to odd
/// arguments.
/// </summary>
public class SnapshotAndHubArgumentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A change's commit moves the grain's committed sequence number at once, while its items and texts are read back
    /// afterwards (LoadMetaAsync, awaited: other calls interleave). A snapshot built in between is labelled with the new
    /// number but lacks the new item's live draft, which SnapshotAsync then fills in as "" at revision 0; the cache keeps
    /// that room for everyone of the audience until the next event, and the event that carried the draft (item.created) is
    /// not after the snapshot's number, so no client ever repairs it.
    /// </summary>
    [Fact]
    public async Task ASnapshotTakenWhileTheGrainReadsBackANewItemShowsItsDraftAsItIs()
    {
        const string Initial = "The European Council welcomes the initial text.";
        var hold = new HoldingInterceptor(sql => sql.Contains("\"Memberships\"", StringComparison.Ordinal) && sql.Contains("\"Delegations\"", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp().HoldingAndWatching(hold, calls);
        var chair = await app.SignInAsync("chair");
        var germany = await app.SignInAsync("de");
        var italy = await app.SignInAsync("it");
        await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");

        hold.HoldNext();
        var created = chair.PostJsonAsync("/api/meetings/1/items", new { title = "Middle East", rule = "consensus", draft = Initial });
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // The change is committed; the grain is reading its memberships back. Germany loads the room now.
        var asked = calls.ArmAsked("AccessNow");
        var loading = germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        await asked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        hold.Release();
        var during = await loading;
        await (await created).ShouldBeAsync(200);

        var item = during.Items.Single(i => i.Title == "Middle East");
        var createdSeq = app.WithDb(db => db.Events.Single(e => e.Type == "item.created" && e.ItemId == item.Id).Seq);
        Assert.True(during.Seq >= createdSeq, "the snapshot is labelled at or after item.created, so a client does not replay it");
        // Later, with nothing else happening, Italy loads the room: the cached one.
        var later = await italy.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        var live = await italy.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.Equal(Initial, live.Texts.Single(t => t.Id == $"draft:{item.Id}").Text);
        var duringDraft = during.Texts.Single(t => t.Id == $"draft:{item.Id}");
        var laterDraft = later.Texts.Single(t => t.Id == $"draft:{item.Id}");
        Assert.True(duringDraft.Text == Initial && laterDraft.Text == Initial,
            $"snapshot seq {during.Seq} (item.created is {createdSeq}) has the draft as \"{duringDraft.Text}\" at revision {duringDraft.Revision}; "
            + $"the room served afterwards from the cache (seq {later.Seq}) has \"{laterDraft.Text}\" at revision {laterDraft.Revision}");
    }

    /// <summary>
    /// The same moment for a guest: the United Kingdom, invited to item 1, loads its room while the grain reads the
    /// change back, and gets item 1 with an empty draft at revision 0, cached for every UK connection after it.
    /// </summary>
    [Fact]
    public async Task AGuestInvitedToAnItemWhileTheGrainReadsBackGetsTheItemsRealDraft()
    {
        // The grain's read-back of the items (LoadMetaAsync): all of the meeting's items with their guests, by id.
        var hold = new HoldingInterceptor(sql => sql.Contains("FROM \"Items\"", StringComparison.Ordinal) && sql.Contains("\"ItemGuests\"", StringComparison.Ordinal)
            && !sql.Contains("LIMIT", StringComparison.Ordinal) && !sql.Contains("ORDER BY \"i\".\"Number\"", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp().HoldingAndWatching(hold, calls);
        var chair = await app.SignInAsync("chair");
        var uk = await app.SignInAsync("uk");
        var ukAgain = await app.SignInAsync("uk");
        var draft = app.ServerText("draft:1");
        Assert.NotEmpty(draft);
        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == 1);
        Assert.DoesNotContain("UK", item.Guests);

        hold.HoldNext();
        var invited = chair.PutJsonAsync("/api/meetings/1/items/1", new { title = item.Title, description = item.Description, rule = item.Rule, guests = item.Guests.Append("UK").ToArray(), expectedVersion = item.Version });
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var asked = calls.ArmAsked("AccessNow");
        var loading = uk.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        await asked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        hold.Release();
        var during = await loading;
        await (await invited).ShouldBeAsync(200);
        var later = await ukAgain.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");

        Assert.Contains(during.Items, i => i.Id == 1);
        var duringDraft = during.Texts.Single(t => t.Id == "draft:1");
        var laterDraft = later.Texts.Single(t => t.Id == "draft:1");
        Assert.True(duringDraft.Text == draft && laterDraft.Text == draft,
            $"the UK's room (seq {during.Seq}) has draft:1 as \"{duringDraft.Text}\" at revision {duringDraft.Revision}, the cached one (seq {later.Seq}) \"{laterDraft.Text}\"; it is {draft.Length} characters");
    }

    /// <summary>
    /// A revocation's commit moves the grain's committed sequence number at once, while its memberships are read back
    /// afterwards. A member whose seat is revoked, asking for the room in between, must not be admitted with the seat it
    /// had and the number after its revocation: the room it would be given is built after the revocation committed.
    /// </summary>
    [Fact]
    public async Task ARevokedMemberAskingWhileTheGrainReadsBackGetsNoRoomBuiltAfterTheRevocation()
    {
        var hold = new HoldingInterceptor(sql => sql.Contains("\"Memberships\"", StringComparison.Ordinal) && sql.Contains("\"Delegations\"", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp().HoldingAndWatching(hold, calls);
        var chair = await app.SignInAsync("chair");
        var hungary = await app.SignInAsync("hu");
        await hungary.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");

        hold.HoldNext();
        var revoked = chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // The revocation is committed; the grain is reading its memberships back. Hungary loads the room now.
        var asked = calls.ArmAsked("AccessNow");
        var loading = hungary.GetAsync("/api/meetings/1/snapshot", Ct);
        await asked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        hold.Release();
        var response = await loading;
        await (await revoked).ShouldBeAsync(204);

        var revokedAt = app.WithDb(db => db.Events.Single(e => e.Type == "membership.revoked").Seq);
        var seq = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<MeetingSnapshot>(BriefingJson.Options, Ct))!.Seq : -1;
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound,
            $"Hungary, revoked at sequence number {revokedAt}, was answered {(int)response.StatusCode} with the room at sequence number {seq}");
    }

    /// <summary>Every refusal over the hub is a HubException with words, never an exception SignalR can only call unexpected.</summary>
    [Fact]
    public async Task OddArgumentsAreRefusedInWordsNeverAsAnUnexpectedError()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        (RoomClient Who, string Method, object?[] Args)[] calls =
        [
            (france, "JoinMeeting", [int.MaxValue]),
            (france, "JoinMeeting", [-1]),
            (france, "LeaveMeeting", [2]),
            (france, "GetEventsSince", [1, long.MaxValue]),
            (france, "GetEventsSince", [0, 0L]),
            (france, "GetTextHistory", [1, "draft:999", 0]),
            (france, "GetTextHistory", [1, "draft:1", int.MaxValue]),
            (france, "GetTextHistory", [1, "position:1:fr", 0]),
            (france, "GetTextHistory", [1, "position:1: ", 0]),
            (france, "GetTextHistory", [1, "draft:1:x", 0]),
            (france, "GetTextHistory", [1, "", 0]),
            (uk, "GetTextHistory", [1, "draft:1", 0]),
            (uk, "GetTextHistory", [1, "position:2:FR", 0]),
            (france, "Focus", [1, 0]),
            (france, "Focus", [1, int.MinValue]),
            (france, "Focus", [-5, null]),
            (france, "MoveCaret", [1, new { documentId = "", revision = 0, anchor = 0, head = 0 }]),
            (france, "MoveCaret", [1, new { documentId = "draft:1", revision = int.MaxValue, anchor = int.MaxValue, head = 0 }]),
            (france, "MoveCaret", [1, new { documentId = "position:1:XX", revision = 0, anchor = 0, head = 0 }]),
            (france, "MoveCaret", [1, new { documentId = "position:2:UK", revision = 0, anchor = 0, head = 0 }]),
            (france, "MoveCaret", [0, new { documentId = "draft:1", revision = 0, anchor = 0, head = 0 }]),
            (uk, "MoveCaret", [1, new { documentId = "position:2:FR", revision = 0, anchor = 0, head = 0 }]),
            (france, "SubmitOperation", [0, new { documentId = "draft:1", baseRevision = 0, clientOpId = "a", operation = new object[] { "x" } }]),
            (france, "SubmitOperation", [1, new { documentId = "draft:1", baseRevision = 0, clientOpId = "b", operation = (object?)null }]),
            (france, "SubmitOperation", [1, new { documentId = "draft:1", baseRevision = 0, clientOpId = "c" }]),
            (france, "SubmitOperation", [1, new { documentId = "position:1:ZZ", baseRevision = 0, clientOpId = "d", operation = new object[] { "x" } }]),
            (france, "SubmitOperation", [1, new { documentId = "position:2:UK", baseRevision = 0, clientOpId = "e", operation = new object[] { "x" } }]),
            (france, "SubmitOperation", [1, new { documentId = "draft:1", baseRevision = int.MaxValue, clientOpId = "f", operation = new object[] { "x" } }]),
            (france, "SubmitOperation", [1, new { documentId = "draft:1", baseRevision = 0, clientOpId = "g", operation = new object[] { 999999 } }]),
            (uk, "SubmitOperation", [1, new { documentId = "position:2:UK", baseRevision = 0, clientOpId = "h", operation = new object[] { "x" } }]),
            (uk, "SubmitOperation", [1, new { documentId = "position:1:UK", baseRevision = 0, clientOpId = "i", operation = new object[] { "x" } }]),
            (france, "SetPosition", [1, 999, "FR", new { stance = "support", expectedVersion = 1 }]),
            (france, "SetPosition", [1, 1, "fr", new { stance = "support", expectedVersion = 1 }]),
            (france, "SetPosition", [1, 1, "", new { stance = "support", expectedVersion = 1 }]),
            (france, "SetPosition", [1, 1, "FR", null]),
            (france, "SetDraftingMode", [1, 1, new { mode = "bogus" }]),
            (france, "TableProposal", [1, 1, new { }]),
            (france, "TableProposal", [1, 999, new { from = 0, to = 0, replacement = "x", baseRevision = 0 }]),
            (france, "SupportProposal", [1, 999, new { support = true }]),
            (france, "AcceptProposal", [1, 999]),
            (france, "AcceptProposal", [-1, 1]),
            (france, "RejectProposal", [1, 999, new { reason = "no" }]),
            (france, "WithdrawProposal", [1, 999, null]),
            (france, "WithdrawProposal", [1, 999, new { }]),
            (uk, "TableProposal", [1, 2, new { from = 0, to = 0, replacement = "x", baseRevision = 0 }]),
        ];
        var unexpected = new List<string>();
        foreach (var (who, method, args) in calls)
        {
            try
            {
                await who.Hub.InvokeCoreAsync<object>(method, args, Ct);
            }
            catch (HubException ex)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{who.Who} {method}({string.Join(", ", args.Select(a => System.Text.Json.JsonSerializer.Serialize(a)))}): {ex.Message}");
                // SignalR words a HubException as "An unexpected error occurred invoking 'X' on the server. HubException: <words>";
                // any other exception comes without "HubException:".
                if (!ex.Message.Contains("HubException: ", StringComparison.Ordinal))
                {
                    unexpected.Add($"{who.Who} {method}({string.Join(", ", args.Select(a => System.Text.Json.JsonSerializer.Serialize(a)))}): {ex.Message}");
                }
            }
        }

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }
}
