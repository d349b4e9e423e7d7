using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BriefingRoom.Api;

namespace BriefingRoom.LoadTests;

/// <summary>A signed-in load delegate: its account and its bearer token.</summary>
public sealed record Delegate(int Index, string Email, string Token);

/// <summary>
/// Creates the delegates through the real API, once per run, the way people get a seat: the admin invites each address
/// to a delegate's seat (POST /api/meetings/{id}/invitations; the app runs in Development without SMTP, so the answer
/// carries the link), the delegate accepts it with a password (POST /api/invitations/accept), and signs in once
/// (POST /api/auth/login). The tokens are then reused by every scenario, as a browser keeps its session.
/// </summary>
public sealed class Accounts(HttpClient http, Log log)
{
    public const string Password = "Load-delegate-2025!";

    /// <summary>The member states and institutions a load delegate speaks for, in turn: never a guest, so every delegate may draft.</summary>
    private static readonly string[] DelegationCodes =
    [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];

    public static string EmailOf(int index) => $"delegate{index.ToString("D5", CultureInfo.InvariantCulture)}@load.example";

    public async Task<string> SignInAsync(string email, string password, CancellationToken ct)
    {
        using var response = await SendAsync(() => Json(HttpMethod.Post, "/api/auth/login", new { email, password }, null), ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Registers, admits and signs in <paramref name="count"/> delegates; those that exist already are reused.</summary>
    public async Task<IReadOnlyList<Delegate>> CreateDelegatesAsync(int meetingId, int count, string adminToken, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var delegates = new Delegate[count];
        var done = 0;
        // Password hashing dominates; the app has two cores.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            var email = EmailOf(i);
            var code = DelegationCodes[i % DelegationCodes.Length];
            await SeatAsync(meetingId, email, $"Load delegate {i:D5} ({code})", "delegate", code, adminToken, token);
            delegates[i] = new Delegate(i, email, await SignInAsync(email, Password, token));
            if (Interlocked.Increment(ref done) % 50 == 0)
            {
                log.Info($"  {done}/{count} delegates ready");
            }
        });
        log.Info($"  {count} delegates registered, admitted and signed in in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return delegates;
    }

    /// <summary>
    /// Seats the address: the admin invites it, and the invitation is accepted with <see cref="Password"/> (which creates
    /// the account, or attaches the seat to the account of an earlier meeting or run). A seat held already is fine.
    /// </summary>
    public async Task SeatAsync(int meetingId, string email, string displayName, string role, string? delegationCode, string adminToken, CancellationToken ct)
    {
        using var invited = await SendAsync(() => Json(HttpMethod.Post, $"/api/meetings/{meetingId}/invitations", new { email, displayName, role, delegationCode }, adminToken), ct);
        if (invited.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        var body = await invited.Content.ReadAsStringAsync(ct);
        if (!invited.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Inviting {email} to meeting {meetingId} failed: {(int)invited.StatusCode} {body}");
        }

        using var invitation = JsonDocument.Parse(body);
        var link = invitation.RootElement.GetProperty("link").GetString()
            ?? throw new InvalidOperationException("The invitation was mailed, not answered with its link: run the app without SMTP settings.");
        var invitationToken = link[(link.IndexOf("#/invitation/", StringComparison.Ordinal) + "#/invitation/".Length)..];
        using var accepted = await SendAsync(() => Json(HttpMethod.Post, "/api/invitations/accept", new { token = invitationToken, password = Password }, null), ct);
        if (!accepted.IsSuccessStatusCode && accepted.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Accepting {email}'s invitation failed: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync(ct)}");
        }
    }

    public async Task<int> CreateMeetingAsync(string title, string adminToken, CancellationToken ct)
    {
        var body = new { title, kind = "summit", date = "2025-03-06", place = "Brussels", documentNumber = "LOAD " + title };
        using var response = await SendAsync(() => Json(HttpMethod.Post, "/api/meetings", body, adminToken), ct);
        response.EnsureSuccessStatusCode();
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>Sends, and on 429 waits as long as Retry-After says and sends again: the app's rate limits apply to us too.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await http.SendAsync(request(), ct);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 20)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, ct);
        }
    }

    public static HttpRequestMessage Json(HttpMethod method, string url, object body, string? token)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: BriefingJson.Options) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
