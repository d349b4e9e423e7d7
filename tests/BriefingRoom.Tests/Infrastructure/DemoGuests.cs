namespace BriefingRoom.Tests.Infrastructure;

/// <summary>A guest delegation more than the demo has, for tests that need one nobody else uses.</summary>
public static class DemoGuests
{
    /// <summary>As the admin: Switzerland becomes a guest delegation taking part in meeting 1, invited to item II with the demo's guests.</summary>
    public static async Task InviteSwitzerlandToItemTwoAsync(this HttpClient admin, BriefingApp app)
    {
        (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("/api/meetings/1/participants", new { delegationCode = "CH" })).EnsureSuccessStatusCode();
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);
        (await admin.PutJsonAsync("/api/meetings/1/items/2", new { title = "Security guarantees", rule = "consensus", guests = new[] { "UA", "UK", "NO", "JP", "KR", "TR", "CH" }, expectedVersion = version })).EnsureSuccessStatusCode();
    }
}
