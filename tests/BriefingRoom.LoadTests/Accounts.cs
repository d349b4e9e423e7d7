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
/// Creates the delegates through the real API, once per run: each registers (POST /api/auth/register), the admin grants
/// each a delegate's membership of the meeting (POST /api/meetings/{id}/memberships), and each signs in once
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
            using (var registered = await SendAsync(() => Json(HttpMethod.Post, "/api/auth/register", new { email, password = Password }, null), token))
            {
                var body = await registered.Content.ReadAsStringAsync(token);
                if (!registered.IsSuccessStatusCode && !body.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) && !body.Contains("already taken", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"Registering {email} failed: {(int)registered.StatusCode} {body}");
                }
            }

            await GrantAsync(meetingId, email, "delegate", DelegationCodes[i % DelegationCodes.Length], adminToken, token);
            delegates[i] = new Delegate(i, email, await SignInAsync(email, Password, token));
            if (Interlocked.Increment(ref done) % 50 == 0)
            {
                log.Info($"  {done}/{count} delegates ready");
            }
        });
        log.Info($"  {count} delegates registered, admitted and signed in in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return delegates;
    }

    /// <summary>Grants a membership; one that exists already is fine (a rerun against the same app).</summary>
    public async Task GrantAsync(int meetingId, string email, string role, string? delegationCode, string adminToken, CancellationToken ct)
    {
        using var response = await SendAsync(() => Json(HttpMethod.Post, $"/api/meetings/{meetingId}/memberships", new { email, role, delegationCode }, adminToken), ct);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Granting {email} a seat in meeting {meetingId} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
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
