using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Meetings;

/// <summary>GET /api/meetings/{id}/snapshot, the room a page loads while its hub connection joins.</summary>
public class SnapshotEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheRoomComesCompressedAsTheClientAsksAndEveryEncodingIsTheSameRoom()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var plain = await GetAsync(france, acceptEncoding: null);
        var brotli = await GetAsync(france, "br, gzip");
        var gzip = await GetAsync(france, "gzip");

        Assert.Empty(plain.Response.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], brotli.Response.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzip.Response.Content.Headers.ContentEncoding);
        Assert.True(brotli.Wire.Length * 4 < plain.Wire.Length, $"brotli {brotli.Wire.Length} bytes against {plain.Wire.Length} plain");
        Assert.Equal(plain.Json, brotli.Json);
        Assert.Equal(plain.Json, gzip.Json);
        Assert.All([plain, brotli, gzip], f => Assert.Equal("utf-8", f.Response.Content.Headers.ContentType?.CharSet));
        Assert.Equal("Accept-Encoding", Assert.Single(plain.Response.Headers.Vary));
    }

    [Theory]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("gzip;q=1, br;q=0.5", "gzip")]
    [InlineData("br;q=0, gzip;q=0", null)]
    [InlineData("BR;Q=0", null)]
    [InlineData("*", "br")]
    [InlineData("*;q=0.5, br;q=0", "gzip")]
    [InlineData("identity", null)]
    [InlineData("deflate, gzip;q=0.1", "gzip")]
    [InlineData("gzip, br", "br")]
    public async Task TheRoomComesInTheEncodingTheClientPrefersAndNeverInOneItRefused(string acceptEncoding, string? expected)
    {
        // RFC 9110, 12.5.3: "q=0" means "not acceptable". A client or proxy that cannot read Brotli says "br;q=0", and a
        // body it cannot decode is a room that does not open.
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var plain = await GetAsync(france, acceptEncoding: null);

        var fetched = await GetAsync(france, acceptEncoding);

        Assert.Equal(expected is null ? [] : [expected], fetched.Response.Content.Headers.ContentEncoding);
        Assert.Equal(plain.Json, fetched.Json);
    }

    [Fact]
    public async Task AnUnchangedRoomIsNotSentAgainAndAChangedOneIs()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var first = await GetAsync(france, "br");
        var etag = first.Response.Headers.ETag!;
        var seq = JsonDocument.Parse(first.Json).RootElement.GetProperty("seq").GetInt64();

        var unchanged = await GetAsync(france, "br", etag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.Response.StatusCode);
        Assert.Empty(unchanged.Wire);

        var version = app.PositionVersion(3, "FR");
        await (await france.PutJsonAsync("/api/meetings/1/items/3/positions/FR", new { stance = "abstain", expectedVersion = version })).ShouldBeAsync(200);

        var changed = await GetAsync(france, "br", etag);
        Assert.Equal(HttpStatusCode.OK, changed.Response.StatusCode);
        Assert.NotEqual(etag, changed.Response.Headers.ETag);
        var room = JsonSerializer.Deserialize<MeetingSnapshot>(changed.Json, BriefingJson.Options)!;
        Assert.True(room.Seq > seq, $"seq {room.Seq} after {seq}");
        Assert.Equal(BriefingRoom.Voting.Stance.Abstain, room.Positions.Single(p => p.ItemId == 3 && p.DelegationCode == "FR").Stance);
    }

    [Fact]
    public async Task TheRoomIsAsciiAndEveryCharacterArrivesAsItWasWritten()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        const string reservation = "Sous réserve de l'Assemblée nationale <et du Sénat> & « υπό την επιφύλαξη » 🇫🇷";
        var version = app.PositionVersion(3, "FR");
        await (await france.PutJsonAsync("/api/meetings/1/items/3/positions/FR",
            new { stance = "supportWithReservation", reservationKind = "parliamentary", reservationText = reservation, expectedVersion = version })).ShouldBeAsync(200);

        var plain = await GetAsync(france, acceptEncoding: null);

        var high = Array.FindIndex(plain.Wire, b => b >= 0x80);
        var from = Math.Max(0, high - 40);
        Assert.True(high < 0, $"a byte over 0x7f at {high} of the room's JSON: …{System.Text.Encoding.UTF8.GetString(plain.Wire, from, Math.Min(60, plain.Wire.Length - from))}…");
        var room = JsonSerializer.Deserialize<MeetingSnapshot>(plain.Json, BriefingJson.Options)!;
        Assert.Equal("Viktor Orbán", room.Participants.Single(p => p.DelegationCode == "HU").HeadOfDelegation);
        Assert.Equal(reservation, room.Positions.Single(p => p.ItemId == 3 && p.DelegationCode == "FR").ReservationText);
    }

    private sealed record Fetched(HttpResponseMessage Response, byte[] Wire, string Json);

    private static async Task<Fetched> GetAsync(HttpClient client, string? acceptEncoding, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/meetings/1/snapshot");
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        var response = await client.SendAsync(request, Ct);
        var wire = await response.Content.ReadAsByteArrayAsync(Ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new Fetched(response, wire, "");
        }

        await response.ShouldBeAsync(200);
        Stream body = new MemoryStream(wire);
        body = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8);
        return new Fetched(response, wire, await reader.ReadToEndAsync(Ct));
    }
}
