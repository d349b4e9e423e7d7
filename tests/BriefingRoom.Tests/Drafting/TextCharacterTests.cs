using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Drafting;

/// <summary>
/// Which characters a text may hold (Drafting/TextRules): every entry refuses the others in words that name the field,
/// the character and its position, and changes nothing; everything allowed comes back exactly as it was written.
/// </summary>
public class TextCharacterTests
{
    private const string Bad = "Summit \u0000 text";
    private const string NulAt7 = "U+0000 (a control character) at position 7";

    /// <summary>Each REST entry of text: who sends it, where, the body with the bad text in one field, and that field.</summary>
    private static readonly Dictionary<string, (string Who, string Method, string Url, Func<string, object> Body, string Field)> RestEntries = new()
    {
        ["an item's title"] = ("chair", "POST", "/api/meetings/1/items", t => new { title = t, rule = "consensus" }, "title"),
        ["an item's description"] = ("chair", "POST", "/api/meetings/1/items", t => new { title = "Defence", description = t, rule = "consensus" }, "description"),
        ["an item's first draft"] = ("chair", "POST", "/api/meetings/1/items", t => new { title = "Defence", rule = "consensus", draft = t }, "draft"),
        ["an item's guest list"] = ("chair", "POST", "/api/meetings/1/items", t => new { title = "Defence", rule = "consensus", guests = new[] { "UA", t } }, "guests[1]"),
        ["an item's new description"] = ("chair", "PUT", "/api/meetings/1/items/1", t => new { title = "Ukraine", description = t, rule = "unanimity", expectedVersion = 1 }, "description"),
        ["a lock's reason"] = ("chair", "POST", "/api/meetings/1/items/1/lock", t => new { reason = t }, "reason"),
        ["a reservation"] = ("fr", "PUT", "/api/meetings/1/items/3/positions/FR", t => new { stance = "supportWithReservation", reservationKind = "general", reservationText = t, expectedVersion = 0 }, "reservationText"),
        ["a meeting's title"] = ("chair", "PUT", "/api/meetings/1", t => new { title = t, date = "2025-03-06", place = "Brussels", documentNumber = "EUCO 1/25", status = "inSession", expectedVersion = 1 }, "title"),
        ["a meeting's place"] = ("chair", "PUT", "/api/meetings/1", t => new { title = "EUCO", date = "2025-03-06", place = t, documentNumber = "EUCO 1/25", status = "inSession", expectedVersion = 1 }, "place"),
        ["a meeting's document number"] = ("chair", "PUT", "/api/meetings/1", t => new { title = "EUCO", date = "2025-03-06", place = "Brussels", documentNumber = t, status = "inSession", expectedVersion = 1 }, "documentNumber"),
        ["a meeting's distribution marking"] = ("chair", "PUT", "/api/meetings/1", t => new { title = "EUCO", date = "2025-03-06", place = "Brussels", documentNumber = "EUCO 1/25", status = "inSession", distributionMarking = t, expectedVersion = 1 }, "distributionMarking"),
        ["a new meeting's title"] = ("admin", "POST", "/api/meetings", t => new { title = t, kind = "europeanCouncil", date = "2025-06-26", place = "Brussels", documentNumber = "EUCO 2/25" }, "title"),
        ["a head of delegation"] = ("chair", "PUT", "/api/meetings/1/participants/FR", t => new { headOfDelegation = t, votingRightsSuspended = false, expectedVersion = 0 }, "headOfDelegation"),
        ["a new participant's head of delegation"] = ("chair", "POST", "/api/meetings/1/participants", t => new { delegationCode = "CH", headOfDelegation = t }, "headOfDelegation"),
        ["a delegation's name"] = ("admin", "POST", "/api/delegations", t => new { code = "CHX", name = t, kind = "guest" }, "name"),
        ["an invitee's name"] = ("chair", "POST", "/api/meetings/1/invitations", t => new { email = "anna.berger@example.org", displayName = t, role = "observer" }, "displayName"),
        ["a population table's source"] = ("admin", "PUT", "/api/population-tables/2030", t => new { source = t, origin = "official", csv = "code\tpopulation\nDE\t1" }, "source"),
        ["a population table's text"] = ("admin", "PUT", "/api/population-tables/2030", t => new { source = "Eurostat", origin = "official", csv = t }, "csv"),
        ["a calculator guest's name"] = ("fr", "POST", "/api/voting/evaluate", t => new { rule = "unanimity", year = 2025, members = new[] { new { code = "FR", stance = "support" } }, guests = new[] { new { code = "UA", name = t, stance = "support" } } }, "guests[0].name"),
        ["a calculator reservation"] = ("fr", "POST", "/api/voting/evaluate", t => new { rule = "unanimity", year = 2025, members = new[] { new { code = "FR", stance = "supportWithReservation", reservationKind = "general", reservationText = t } } }, "members[0].reservationText"),
        ["an operation's id"] = ("fr", "POST", "/api/meetings/1/texts/draft:1/operations", t => new { documentId = "draft:1", baseRevision = 0, clientOpId = t, operation = new object[] { 1 } }, "clientOpId"),
        ["a registration's address"] = ("anonymous", "POST", "/api/auth/register", t => new { email = t, password = BriefingApp.Password }, "email"),
    };

    public static TheoryData<string> RestCases => [.. RestEntries.Keys];

    [Theory]
    [MemberData(nameof(RestCases))]
    public async Task EveryRestFieldRefusesAControlCharacterNamingTheFieldTheCharacterAndItsPosition(string entry)
    {
        var (who, method, url, body, field) = RestEntries[entry];
        await using var app = new BriefingApp();
        var client = who == "anonymous" ? app.CreateClient() : await app.SignInAsync(who);

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            client.SendRawAsync(new HttpMethod(method), url, JsonSerializer.Serialize(body(Bad))));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors name {field}: {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.StartsWith(NulAt7, StringComparison.Ordinal));
    }

    /// <summary>The one-line labels others read in lists and headings: each must show something and leave no bidi control open.</summary>
    private static readonly Dictionary<string, (string Who, string Method, string Url, Func<string, object> Body, string Field)> Labels =
        new(RestEntries.Where(e => e.Key is "an item's title" or "a meeting's title" or "a meeting's place" or "a meeting's document number"
            or "a meeting's distribution marking" or "a new meeting's title" or "a head of delegation" or "a new participant's head of delegation"
            or "a delegation's name" or "an invitee's name"))
        {
            ["an item's new title"] = ("chair", "PUT", "/api/meetings/1/items/1", t => new { title = t, rule = "unanimity", expectedVersion = 1 }, "title"),
            ["a version's name"] = ("chair", "POST", "/api/meetings/1/items/1/versions", t => new { name = t }, "name"),
            ["a statement's number"] = ("chair", "PUT", "/api/meetings/1/items/3/statement", t => new { documentNumber = t }, "documentNumber"),
            ["a statement's title"] = ("chair", "PUT", "/api/meetings/1/items/3/statement", t => new { documentNumber = "EUCO 9/25", title = t }, "title"),
            // Notes read beside a name, on the same line as what follows: "FR: general reservation. [text]", "Rejected by …: [reason]".
            ["a lock's reason"] = RestEntries["a lock's reason"],
            ["a reservation"] = RestEntries["a reservation"],
            ["a population table's source"] = RestEntries["a population table's source"],
            ["a proposal's reason"] = ("fr", "POST", "/api/meetings/1/items/1/proposals", t => new { from = 0, to = 0, revision = 0, replacement = "Firmly, ", reason = t }, "reason"),
            ["a rejection's reason"] = ("chair", "POST", "/api/meetings/1/proposals/1/reject", t => new { reason = t }, "reason"),
            ["a withdrawal's reason"] = ("fr", "POST", "/api/meetings/1/proposals/1/withdraw", t => new { reason = t }, "reason"),
            ["why a silence was broken"] = ("fr", "POST", "/api/meetings/1/items/1/silence/break", t => new { reason = t }, "reason"),
            ["why a statement is revised"] = ("chair", "POST", "/api/meetings/1/items/3/coalition/revision", t => new { reason = t }, "reason"),
        };

    public static TheoryData<string, string> IllegibleLabels => new(
        from label in Labels.Keys
        from text in new[] { "\u200B\u2060", "Budget \u20672028\u2013", "\u202Eesrever", "\u202Bembedded \u2067isolated\u2069" }
        select (label, text));

    [Theory]
    [MemberData(nameof(IllegibleLabels))]
    public async Task EveryLabelRefusesAValueWithNothingVisibleOrABidiControlLeftOpenNamingTheField(string entry, string text)
    {
        // A label of zero-width characters shows a blank title or name; an embedding, override or isolate left open
        // turns around whatever the page writes after the label on the same line (who locked the item, the next name).
        var (who, method, url, body, field) = Labels[entry];
        await using var app = new BriefingApp();
        var client = await app.SignInAsync(who);

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            client.SendRawAsync(new HttpMethod(method), url, JsonSerializer.Serialize(body(text))));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors name {field}: {errors}");
        Assert.Matches("has no visible character|leaves U\\+(202B|202E|2067) open", messages[0].GetString());
    }

    [Fact]
    public async Task ALabelMayHoldBidiControlsItClosesAndRightToLeftWords()
    {
        // Closed within the label, an override or isolate turns only the label's own words, as its author meant.
        const string title = "\u2067الاتحاد الأوروبي\u2069 \u2013 \u202Eesrever\u202C \u202B\u2066x\u2069\u202C \u200Fשלום\u200E";
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var created = await chair.PostJsonAsync("/api/meetings/1/items", new { title, rule = "consensus" });

        await created.ShouldBeAsync(200);
        Assert.Equal(title, (await created.ReadAsync<AgendaItemDto>()).Title);
    }

    [Theory]
    [InlineData("Windows line\r\nend", "U+000D (carriage return) at position 12: a line ends with U+000A (line feed) alone.")]
    [InlineData("a\u0085next line", "U+0085 (a control character) at position 1: a text may hold no control character but tab and line feed.")]
    [InlineData("\u007F", "U+007F (a control character) at position 0: a text may hold no control character but tab and line feed.")]
    [InlineData("Summit\uFFFF", "U+FFFF (a noncharacter) at position 6: Unicode keeps noncharacters out of texts.")]
    [InlineData("🇪🇺\uFDD0", "U+FDD0 (a noncharacter) at position 4: Unicode keeps noncharacters out of texts.")]
    [InlineData("x\U0001FFFE", "U+1FFFE (a noncharacter) at position 1: Unicode keeps noncharacters out of texts.")]
    public async Task EachKindOfRefusedCharacterIsNamed(string text, string message)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PostJsonAsync("/api/meetings/1/items", new { title = "Defence", description = text, rule = "consensus" }));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(message, errors.GetProperty("description")[0].GetString());
    }

    [Fact]
    public async Task AnUnpairedSurrogateInJsonIsRefusedNamingTheField()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.SendRawAsync(HttpMethod.Post, "/api/meetings/1/items", """{"title":"Defence","description":"half \ud83d of a pair","rule":"consensus"}"""));

        await response.ShouldBeAsync(400);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("description", out _));
    }

    [Fact]
    public async Task AnOperationInsertingU0000IsRefusedInWordsAndTheDraftKeepsEveryCharacter()
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");
        var (length, revision) = app.WithDb(db => db.Items.Where(i => i.Id == 1).Select(i => new { i.DraftText.Length, i.DraftRevision }).Single()) is var d ? (d.Length, d.DraftRevision) : default;

        var response = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync("/api/meetings/1/texts/draft:1/operations",
            new { documentId = "draft:1", baseRevision = revision, clientOpId = "nul", operation = new object[] { 10, "\u0000", length - 10 } }));

        await response.ShouldBeAsync(400);
        Assert.Equal(
            "Component 2 of the operation: the inserted text holds U+0000 (a control character) at position 10: a text may hold no control character but tab and line feed.",
            (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("operation")[0].GetString());
        Assert.Equal(length, app.WithDb(db => db.Items.Single(i => i.Id == 1).DraftText.Length));
    }

    [Fact]
    public async Task EveryHubFieldRefusesAControlCharacterAndChangesNothing()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var hub = france.Hub;
        var (length, revision) = app.WithDb(db => db.Items.Where(i => i.Id == 1).Select(i => new { i.DraftText.Length, i.DraftRevision }).Single()) is var d ? (d.Length, d.DraftRevision) : default;

        async Task<string> Refused(Func<Task> call) =>
            (await Fingerprint.AssertUnchangedAsync(app, () => Assert.ThrowsAsync<HubException>(call))).Message;

        Assert.Contains($"reservationText: {NulAt7}", await Refused(() => hub.InvokeAsync<PositionDto>("SetPosition", 1, 3, "FR",
            new { stance = "supportWithReservation", reservationKind = "general", reservationText = Bad, expectedVersion = 0 }, TestHttp.Ct)), StringComparison.Ordinal);
        Assert.Contains("documentId: U+0000 (a control character) at position 6", await Refused(() => hub.InvokeAsync<TextHistoryDto>("GetTextHistory", 1, "draft:\u00001", 0, TestHttp.Ct)), StringComparison.Ordinal);
        Assert.Contains("delegationCode: U+0000 (a control character) at position 1", await Refused(() => hub.InvokeAsync<PositionDto>("SetPosition", 1, 3, "F\u0000R",
            new { stance = "support", expectedVersion = 0 }, TestHttp.Ct)), StringComparison.Ordinal);
        Assert.Contains("documentId: U+0000 (a control character) at position 7", await Refused(() => hub.InvokeAsync("MoveCaret", 1,
            new { documentId = "draft:1\u0000", revision = 0, anchor = 0, head = 0 }, TestHttp.Ct)), StringComparison.Ordinal);
        Assert.Contains($"clientOpId: {NulAt7}", await Refused(() => hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new SubmitOperationRequest("draft:1", revision, Bad, TextOperation.Identity(length)), TestHttp.Ct)), StringComparison.Ordinal);
        // The operation itself: refused (SignalR cannot bind it), and the draft keeps every character.
        await Refused(() => hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new SubmitOperationRequest("draft:1", revision, "nul", TextOperation.Builder().Retain(10).Insert("\u0000").Retain(length - 10).Build()), TestHttp.Ct));

        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task EveryAllowedCharacterComesBackExactlyFromSnapshotHistoryAndDatabase()
    {
        Assert.True(SampleTexts.Long.Length <= 2_000 && SampleTexts.Short.Length <= 200, "the samples fit the fields they are written to");
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var france = await app.SignInAsync("fr");
        await using var typist = await RoomClient.JoinAsync(app, "fr");

        // REST fields: an item's title and description, a reservation, a lock reason, the meeting's own fields, a head of delegation.
        var created = await chair.PostJsonAsync("/api/meetings/1/items", new { title = SampleTexts.Short, description = SampleTexts.Long, rule = "consensus" });
        await created.ShouldBeAsync(200);
        var item = await created.ReadAsync<AgendaItemDto>();
        var documentId = DocumentId.Draft(item.Id).ToString();
        await (await france.PutJsonAsync($"/api/meetings/1/items/{item.Id}/positions/FR",
            new { stance = "supportWithReservation", reservationKind = "scrutiny", reservationText = SampleTexts.Long, expectedVersion = 0 })).ShouldBeAsync(200);
        var meeting = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Meeting;
        await (await chair.PutJsonAsync("/api/meetings/1", new
        {
            title = SampleTexts.Short, date = meeting.Date, place = SampleTexts.Short, documentNumber = SampleTexts.Short,
            status = meeting.Status, distributionMarking = SampleTexts.Short, expectedVersion = meeting.Version,
        })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync("/api/meetings/1/participants/FR", new { headOfDelegation = SampleTexts.Short, votingRightsSuspended = false, expectedVersion = 0 })).ShouldBeAsync(200);

        // The draft, through an operation over the hub.
        await typist.WaitUntilAsync(c => c.Snapshot is not null && c.Events.Any(e => e.Type == "item.created" && e.ItemId == item.Id), "the new item arrives");
        typist.Insert(documentId, 0, SampleTexts.Long);
        await typist.WaitUntilAsync(c => c.IsSynchronized(documentId), "the draft is acknowledged");
        await (await chair.PostJsonAsync($"/api/meetings/1/items/{item.Id}/lock", new { reason = SampleTexts.Long })).ShouldBeAsync(200);

        // A fresh snapshot over the hub.
        await using var reader = await RoomClient.JoinAsync(app, "de");
        var snapshot = reader.Snapshot!;
        var seen = snapshot.Items.Single(i => i.Id == item.Id);
        Assert.Equal(SampleTexts.Short, seen.Title);
        Assert.Equal(SampleTexts.Long, seen.Description);
        Assert.Equal(SampleTexts.Long, seen.Lock!.Reason);
        Assert.Equal(SampleTexts.Long, snapshot.Texts.Single(t => t.Id == documentId).Text);
        Assert.Equal(SampleTexts.Long, reader.TextOf(documentId));
        Assert.Equal(SampleTexts.Long, snapshot.Positions.Single(p => p.ItemId == item.Id && p.DelegationCode == "FR").ReservationText);
        Assert.Equal(
            [SampleTexts.Short, SampleTexts.Short, SampleTexts.Short, SampleTexts.Short],
            [snapshot.Meeting.Title, snapshot.Meeting.Place, snapshot.Meeting.DocumentNumber, snapshot.Meeting.DistributionMarking]);
        Assert.Equal(SampleTexts.Short, snapshot.Participants.Single(p => p.DelegationCode == "FR").HeadOfDelegation);

        // A fresh snapshot over REST, read as raw JSON.
        var json = await chair.GetJsonAsync<JsonElement>("/api/meetings/1");
        var jsonItem = json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == item.Id);
        Assert.Equal(SampleTexts.Short, jsonItem.GetProperty("title").GetString());
        Assert.Equal(SampleTexts.Long, jsonItem.GetProperty("description").GetString());
        Assert.Equal(SampleTexts.Long, json.GetProperty("texts").EnumerateArray().Single(t => t.GetProperty("id").GetString() == documentId).GetProperty("text").GetString());

        // The text's history: the operation holds the text as typed, and replaying it gives the text.
        var history = await chair.GetJsonAsync<TextHistoryDto>($"/api/meetings/1/texts/{documentId}/history?since=0");
        Assert.Equal(SampleTexts.Long, history.Edits.Aggregate("", (text, edit) => edit.Operation.Apply(text)));
        Assert.Equal(SampleTexts.Long, string.Concat(history.Edits.SelectMany(e => e.Operation.Components).Where(c => c.IsInsert).Select(c => c.Text)));

        // What the database holds.
        var stored = app.WithDb(db => new
        {
            Item = db.Items.Single(i => i.Id == item.Id),
            Position = db.Positions.Single(p => p.ItemId == item.Id && p.DelegationCode == "FR"),
            Meeting = db.Meetings.Single(m => m.Id == 1),
            Participant = db.Participants.Single(p => p.MeetingId == 1 && p.DelegationCode == "FR"),
            Edits = db.TextEdits.Where(e => e.DocumentId == documentId).Select(e => e.Operation).ToList(),
        });
        Assert.Equal(
            [SampleTexts.Short, SampleTexts.Long, SampleTexts.Long, SampleTexts.Long, SampleTexts.Long],
            [stored.Item.Title, stored.Item.Description, stored.Item.DraftText, stored.Item.LockReason, stored.Position.ReservationText]);
        Assert.Equal(
            [SampleTexts.Short, SampleTexts.Short, SampleTexts.Short, SampleTexts.Short, SampleTexts.Short],
            [stored.Meeting.Title, stored.Meeting.Place, stored.Meeting.DocumentNumber, stored.Meeting.DistributionMarking, stored.Participant.HeadOfDelegation]);
        Assert.Equal(SampleTexts.Long, stored.Edits.Aggregate("", (text, op) => TextOperation.FromStored(op).Apply(text)));

        // The exported conclusions: the item agreed, its text printed. A PDF lays text out (line breaks, word gaps, capitals
        // in headings), so white space is left out of the comparison; every other character must be there, in order,
        // including those the font has no glyph for, which the PDF shows as □ and carries as /ActualText.
        await (await chair.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/meetings/1/items/{item.Id}/lock"), TestHttp.Ct)).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"/api/meetings/1/items/{item.Id}/status", new { status = "agreed" })).ShouldBeAsync(200);
        var export = await chair.GetAsync("/api/meetings/1/conclusions.pdf", TestHttp.Ct);
        await export.ShouldBeAsync(200);
        var printed = Conclusions.PdfReadBack.Squeeze(Conclusions.PdfReadBack.ActualText(await export.Content.ReadAsByteArrayAsync(TestHttp.Ct)));
        var expected = new List<string> { SampleTexts.Short, SampleTexts.Short, SampleTexts.Short, SampleTexts.Short, SampleTexts.Short.ToUpperInvariant() };
        expected.AddRange(global::BriefingRoom.Drafting.DraftParagraphs.Of(SampleTexts.Long));
        var at = 0;
        foreach (var part in expected.Select(Conclusions.PdfReadBack.Squeeze))
        {
            var found = printed.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"The PDF lacks, after position {at}, {part}\nIt reads: {printed[at..Math.Min(printed.Length, at + 400)]}");
            at = found + part.Length;
        }
    }
}
