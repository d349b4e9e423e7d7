using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>Settings under "Briefing:SignIn".</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Briefing:SignIn";

    /// <summary>Wrong passwords for one address from one client before that client is held back.</summary>
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a client that reached <see cref="MaxFailures"/> waits before it may try that address again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HoldBack { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Holds back a client that keeps guessing one account's password, and only that client: the count is per
/// (e-mail address, client address; for IPv6 the address's /64 network, all of it the client's to choose from), so a stranger's wrong guesses never lock the delegate out, as Identity's
/// per-account lockout did. It counts addresses that have no account exactly as those that have one, so its answers
/// say nothing about which exist. In memory, per instance: behind N instances a client gets N times the tries,
/// still far too few to guess a password of ten characters or more.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInThrottleOptions> options, TimeProvider clock) : IDisposable
{
    // Bounded: a client spraying made-up addresses fills it, and the oldest counts are dropped first.
    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    private readonly Lock _creating = new();

    private sealed class Count
    {
        public int Failures;
        /// <summary>Tries let through whose password is still being checked: counted against the budget as if they had failed.</summary>
        public int UnderWay;
        public DateTimeOffset? HeldUntil;
    }

    /// <summary>
    /// Null when this client may try this address now, else how long it must wait. A try let through is under way
    /// until <see cref="Failed"/>, <see cref="Succeeded"/> or <see cref="Abandoned"/>: counted then, and not only
    /// afterwards, so that guesses sent all at once get no more password checks than guesses sent one by one.
    /// </summary>
    public TimeSpan? TryBegin(string email, IPAddress? client)
    {
        var limits = options.Value;
        var count = CountOf(email, client, limits);
        lock (count)
        {
            var left = count.HeldUntil - clock.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                return left;
            }

            if (count.Failures + count.UnderWay >= limits.MaxFailures)
            {
                // The budget is spent by tries still being checked: should they all fail, this client waits the hold-back.
                return limits.HoldBack;
            }

            count.UnderWay++;
            return null;
        }
    }

    public void Failed(string email, IPAddress? client)
    {
        var limits = options.Value;
        var count = CountOf(email, client, limits);
        lock (count)
        {
            count.UnderWay = Math.Max(0, count.UnderWay - 1);
            count.Failures++;
            if (count.Failures >= limits.MaxFailures)
            {
                count.Failures = 0;
                count.HeldUntil = clock.GetUtcNow() + limits.HoldBack;
            }
        }
    }

    public void Succeeded(string email, IPAddress? client) => _counts.Remove(Key(email, client));

    /// <summary>A try that ended without a verdict (the request was cancelled): it no longer counts.</summary>
    public void Abandoned(string email, IPAddress? client)
    {
        if (_counts.TryGetValue(Key(email, client), out Count? count) && count is not null)
        {
            lock (count)
            {
                count.UnderWay = Math.Max(0, count.UnderWay - 1);
            }
        }
    }

    private Count CountOf(string email, IPAddress? client, SignInThrottleOptions limits)
    {
        var key = Key(email, client);
        if (_counts.TryGetValue(key, out Count? found) && found is not null)
        {
            return found;
        }

        // GetOrCreate is a look then a store: guesses arriving together at a new (address, client) each made a count of
        // their own, only one of which was kept, and more than MaxFailures of them had their password checked.
        lock (_creating)
        {
            return _counts.GetOrCreate(key, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = limits.HoldBack * 2;
                return new Count();
            })!;
        }
    }

    private static string Key(string email, IPAddress? client) => $"{email.Trim().ToUpperInvariant()}|{Hosting.ClientNetwork.Of(client)}";

    public void Dispose() => _counts.Dispose();
}
