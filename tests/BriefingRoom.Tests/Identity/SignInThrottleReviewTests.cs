using System.Data.Common;
using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Identity;

/// <summary>The sign-in throttle counts the guesses at one account, however the address is spelt and however fast they come.</summary>
public class SignInThrottleReviewTests
{
    private const int MaxFailures = 5;

    [Fact]
    public async Task AnAddressSpeltWithAKelvinSignIsHeldBackLikeTheAccountItSignsInto()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < MaxFailures; attempt++)
        {
            await (await SignInAsync(client, "sk@briefing.example", $"wrong-{attempt}")).ShouldBeAsync(401);
        }

        await (await SignInAsync(client, "sk@briefing.example", BriefingApp.Password)).ShouldBeAsync(429);

        // U+212A KELVIN SIGN is canonically "K": the account lookup finds Slovakia's account under this spelling.
        var disguised = await SignInAsync(client, "s\u212A@briefing.example", BriefingApp.Password);

        await disguised.ShouldBeAsync(429);
    }

    [Fact]
    public async Task GuessesSentAllAtOnceAreCountedLikeGuessesSentOneAfterAnother()
    {
        const int Guesses = 12;
        var lookups = new AccountLookups();
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(lookups)));
        using var client = app.CreateClient();
        await (await client.GetAsync("/api/auth/session", TestHttp.Ct)).ShouldBeAsync(200);

        // Every guess that gets as far as looking up the account waits there, so that all of them are under way together.
        lookups.Hold();
        var sent = Enumerable.Range(0, Guesses).Select(i => SignInAsync(client, "hu@briefing.example", $"wrong-{i}")).ToList();
        await lookups.HeldAtLeastAsync(MaxFailures).WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        // Either one more guess reaches the password check, or every guess beyond the budget is answered without one.
        await Task.WhenAny(lookups.HeldAtLeastAsync(MaxFailures + 1), Settled(sent, Guesses - MaxFailures)).WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        lookups.Release();
        var statuses = (await Task.WhenAll(sent)).Select(r => (int)r.StatusCode).ToList();

        var checkedPasswords = statuses.Count(s => s == 401);
        Assert.True(checkedPasswords <= MaxFailures,
            $"{checkedPasswords} of {Guesses} guesses sent at once had their password checked (401), not at most {MaxFailures}; answers: {string.Join(", ", statuses)}");
        Assert.All(statuses, s => Assert.True(s is 401 or 429, $"answer {s}"));
        await (await SignInAsync(client, "hu@briefing.example", BriefingApp.Password)).ShouldBeAsync(429);
    }

    [Fact]
    public async Task AGuesserHoppingAddressesInItsOwnIPv6NetworkIsHeldBackAsOneClient()
    {
        // Whoever has one IPv6 address has the 2^64 of its /64 network: a fresh address for every guess costs nothing.
        await using var app = new BriefingApp(realSockets: true);
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < MaxFailures; attempt++)
        {
            await (await SignInFromAsync(client, $"2001:db8:66:1::{attempt + 1:x}", "hu@briefing.example", $"wrong-{attempt}")).ShouldBeAsync(401);
        }

        await (await SignInFromAsync(client, "2001:db8:66:1:ffff:ffff:ffff:ff01", "hu@briefing.example", BriefingApp.Password)).ShouldBeAsync(429);
        // Another network is another client: Hungary's office signs in.
        await (await SignInFromAsync(client, "2001:db8:77:1::1", "hu@briefing.example", BriefingApp.Password)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AClientHoppingAddressesInItsOwnIPv6NetworkSharesOneBudgetOfRequestsWithoutIdentity()
    {
        const int Tries = 30;
        await using var app = new BriefingApp(realSockets: true)
            .With("Briefing:RateLimits:AnonymousPerSecond", "1")
            .With("Briefing:RateLimits:AnonymousBurst", "3");
        using var client = app.CreateClient();

        // Each from a fresh address of one /64: the same client, whose budget is 3 at once and 1 a second after that.
        var answers = new List<int>();
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            answers.Add((int)(await SignInFromAsync(client, $"2001:db8:66:2::{attempt + 1:x}", $"nobody{attempt}@briefing.example", "wrong")).StatusCode);
        }

        Assert.Contains(429, answers);
    }

    /// <summary>A sign-in as it reaches the app through the proxy, from <paramref name="clientAddress"/>.</summary>
    private static Task<HttpResponseMessage> SignInFromAsync(HttpClient client, string clientAddress, string email, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email, password }),
        };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return client.SendAsync(request, TestHttp.Ct);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        client.PostJsonAsync("/api/auth/login", new { email, password });

    /// <summary>Completes once <paramref name="count"/> of <paramref name="tasks"/> have completed.</summary>
    private static async Task Settled(IReadOnlyList<Task<HttpResponseMessage>> tasks, int count)
    {
        var pending = tasks.ToList<Task>();
        var done = 0;
        while (done < count && pending.Count > 0)
        {
            pending.Remove(await Task.WhenAny(pending));
            done++;
        }
    }

    /// <summary>Holds every look-up of an account by its address, once armed, until released.</summary>
    private sealed class AccountLookups : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
        private bool _armed;
        private int _held;

        public void Hold()
        {
            lock (_gate)
            {
                _armed = true;
            }
        }

        public void Release() => _released.TrySetResult();

        public Task HeldAtLeastAsync(int count)
        {
            lock (_gate)
            {
                if (_held >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((count, reached));
                return reached.Task;
            }
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"NormalizedEmail\" =", StringComparison.Ordinal))
            {
                lock (_gate)
                {
                    if (!_armed)
                    {
                        return result;
                    }

                    _held++;
                    foreach (var waiter in _waiting.Where(w => w.Count <= _held).ToList())
                    {
                        waiter.Reached.TrySetResult();
                        _waiting.Remove(waiter);
                    }
                }

                await _released.Task.WaitAsync(cancellationToken);
            }

            return result;
        }
    }
}
