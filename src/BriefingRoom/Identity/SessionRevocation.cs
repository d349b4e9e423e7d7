using System.Buffers.Text;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>Settings under "Briefing:Sessions".</summary>
public sealed class SessionOptions
{
    public const string Section = "Briefing:Sessions";

    /// <summary>How often an instance reads the sign-outs that other instances recorded: the longest a signed-out session still works elsewhere.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RevocationSyncInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A signed-out session, kept until every cookie or token that could carry its id has expired anyway.</summary>
public class RevokedSession
{
    public long Id { get; set; }
    public required string SessionId { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// Ends sessions on the server. Every sign-in gets its own session id (<see cref="BriefingClaims.SessionId"/>) in its
/// cookie or token, and a refreshed token keeps it. Signing out records the id in the database and in memory here;
/// each request and each hub call then checks the id against memory only, so the hot path never reads the database.
/// Other instances read new sign-outs every <see cref="SessionOptions.RevocationSyncInterval"/> and close that
/// session's hub connections on their side.
/// Why not the security stamp for a sign-out: changing it signs the user out everywhere, and a delegate who signs out
/// of a borrowed laptop should not be thrown out of the room on their own tablet; validating it also means a database
/// read per user every few minutes, on every instance.
/// A changed or reset password does end every session signed in with the old one: each cookie and token also carries
/// the account's security stamp of its sign-in, and <see cref="PasswordKey"/> of the old stamp is revoked like a session
/// id (<see cref="SessionRevocationSync.EndSessionsOfPasswordAsync"/>), at once and on every instance.
/// </summary>
public sealed class SessionRevocations(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _connections = new(StringComparer.Ordinal);

    public static string? SessionOf(ClaimsPrincipal? user) => user?.FindFirstValue(BriefingClaims.SessionId);

    /// <summary>
    /// What stands for every session signed in with one password: a hash of the account and its security stamp, which a
    /// new password replaces. Hashed, so that the stamp itself is stored nowhere else; 46 characters, within the 64 a session id may have.
    /// </summary>
    public static string PasswordKey(string userId, string securityStamp) =>
        PasswordKeyPrefix + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{securityStamp}")));

    /// <summary>
    /// The <see cref="PasswordKey"/> of the password a principal signed in with. Kept with the principal, which a hub
    /// connection holds for its whole life: its calls do not hash it again.
    /// </summary>
    public static string? PasswordKeyOf(ClaimsPrincipal? user) =>
        user is null ? null : PasswordKeys.GetValue(user, static u => new StrongBox<string?>(
            u.FindFirstValue(StampClaim) is { Length: > 0 } stamp && u.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
                ? PasswordKey(id, stamp)
                : null)).Value;

    private static readonly ConditionalWeakTable<ClaimsPrincipal, StrongBox<string?>> PasswordKeys = new();
    private static readonly string StampClaim = new ClaimsIdentityOptions().SecurityStampClaimType;
    private const string PasswordKeyPrefix = "pw:";

    /// <summary>How many of <see cref="_revoked"/> are passwords: while none is, a request is not asked which password it carries.</summary>
    private int _revokedPasswords;

    /// <summary>A signed-in principal without a session id predates sessions: treated as ended, so its holder signs in again.</summary>
    public bool IsEnded(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && (SessionOf(user) is not { } sid || _revoked.ContainsKey(sid)
            || (Volatile.Read(ref _revokedPasswords) > 0 && PasswordKeyOf(user) is { } password && _revoked.ContainsKey(password)));

    public void Revoke(string sessionId, DateTimeOffset expiresAt)
    {
        if (_revoked.TryAdd(sessionId, expiresAt))
        {
            if (sessionId.StartsWith(PasswordKeyPrefix, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _revokedPasswords);
            }
        }
        else
        {
            _revoked[sessionId] = expiresAt;
        }

        if (_connections.TryRemove(sessionId, out var open))
        {
            foreach (var connection in open.Values)
            {
                connection.Abort();
            }
        }
    }

    /// <summary>Remembers a hub connection so that a sign-out can close it; <see cref="Forget"/> when it closes.</summary>
    public void Track(HubCallerContext connection)
    {
        foreach (var key in KeysOf(connection.User))
        {
            _connections.GetOrAdd(key, _ => new(StringComparer.Ordinal))[connection.ConnectionId] = connection;
            // A sign-out (or a new password) that landed between the handshake and now must not leave this connection open.
            if (_revoked.TryGetValue(key, out var expiresAt))
            {
                Revoke(key, expiresAt);
            }
        }
    }

    public void Forget(HubCallerContext connection)
    {
        foreach (var key in KeysOf(connection.User))
        {
            if (_connections.TryGetValue(key, out var open))
            {
                open.TryRemove(connection.ConnectionId, out _);
                if (open.IsEmpty)
                {
                    _connections.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, HubCallerContext>>(key, open));
                }
            }
        }
    }

    /// <summary>What can end a connection's session: its own id, and the password it was signed in with.</summary>
    private static IEnumerable<string> KeysOf(ClaimsPrincipal? user)
    {
        if (SessionOf(user) is { } sid)
        {
            yield return sid;
            if (PasswordKeyOf(user) is { } password)
            {
                yield return password;
            }
        }
    }

    /// <summary>Drops ids whose cookies and tokens have expired: nothing can present them any more.</summary>
    public void ForgetExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (sid, expiresAt) in _revoked)
        {
            if (expiresAt <= now && _revoked.TryRemove(sid, out _) && sid.StartsWith(PasswordKeyPrefix, StringComparison.Ordinal))
            {
                Interlocked.Decrement(ref _revokedPasswords);
            }
        }
    }
}

/// <summary>Records sign-outs and keeps this instance's memory of them in step with the database.</summary>
public sealed partial class SessionRevocationSync(
    IServiceScopeFactory scopes, SessionRevocations revocations, IOptions<SessionOptions> options, TimeProvider clock, ILogger<SessionRevocationSync> log)
    : IHostedService
{
    // Neither holds a wait handle or a timer, so neither needs disposing; the host may stop us after disposing its services.
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private long _lastSeen;

    /// <summary>
    /// Numbers below <see cref="_lastSeen"/> not read yet, with when they were first skipped. A row's number is drawn when
    /// it is inserted, so with two sign-outs at once (PostgreSQL) the lower may commit after the higher was read; reading
    /// only above the highest lost it, and the session stayed open on this instance
    /// (<c>Identity/SignOutAcrossInstancesTests</c>). Asked for again until read, or for <see cref="GapKept"/>.
    /// </summary>
    private readonly Dictionary<long, DateTimeOffset> _gaps = [];

    private static readonly TimeSpan GapKept = TimeSpan.FromMinutes(1);
    private const int GapsPerRow = 100;
    private const int MaxGaps = 1_000;
    private Task? _loop;

    /// <summary>How long a session id must be remembered: as long as the longest-lived cookie or refresh token that can carry it.</summary>
    public static TimeSpan Lifetime { get; } = IdentitySetup.LongestSession;

    /// <summary>
    /// Written whole even if the caller has gone: ended here in memory at once, a sign-out cut off before its row was
    /// saved went on working on every other instance, and on this one after a restart.
    /// </summary>
    public async Task RevokeAsync(BriefingDb db, string sessionId)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + Lifetime;
        revocations.Revoke(sessionId, expiresAt);
        db.RevokedSessions.Add(new RevokedSession { SessionId = sessionId, RevokedAt = now, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Signed out twice at once: the first record stands.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Ends every session signed in with the password an account had when its security stamp was
    /// <paramref name="oldStamp"/>: after the password is changed or reset, a stolen cookie, token or open room stops
    /// working at once, here and (within <see cref="SessionOptions.RevocationSyncInterval"/>) on every other instance.
    /// </summary>
    public Task EndSessionsOfPasswordAsync(BriefingDb db, string userId, string oldStamp) => RevokeAsync(db, SessionRevocations.PasswordKey(userId, oldStamp));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: a restarted instance must not accept a session that was ended while it was down.
        await ReadNewAsync(cancellationToken);
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var lastPurge = clock.GetUtcNow();
        using var timer = new PeriodicTimer(options.Value.RevocationSyncInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await ReadNewAsync(ct);
                    if (clock.GetUtcNow() - lastPurge > TimeSpan.FromHours(1))
                    {
                        await PurgeAsync(ct);
                        lastPurge = clock.GetUtcNow();
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // The database is away for a moment: the sessions ended meanwhile are read on a later tick. Any
                    // failure, a cancellation this loop did not ask for too: the loop's end would leave this instance
                    // accepting, until it restarts, every session ended on another.
                    LogSyncFailed(log, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadNewAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
            var now = clock.GetUtcNow();
            var gaps = _gaps.Keys.ToList();
            var fresh = await db.RevokedSessions.AsNoTracking()
                .Where(r => r.Id > _lastSeen || gaps.Contains(r.Id))
                .OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.SessionId, r.ExpiresAt })
                .ToListAsync(ct);
            foreach (var row in fresh)
            {
                if (row.ExpiresAt > now)
                {
                    revocations.Revoke(row.SessionId, row.ExpiresAt);
                }

                _gaps.Remove(row.Id);
                if (row.Id > _lastSeen)
                {
                    // The numbers just below may belong to sign-outs still committing; further down (after a purge, the
                    // first read of an instance) lie rows long gone.
                    for (var skipped = Math.Max(_lastSeen + 1, row.Id - GapsPerRow); skipped < row.Id && _gaps.Count < MaxGaps; skipped++)
                    {
                        _gaps.TryAdd(skipped, now);
                    }

                    _lastSeen = row.Id;
                }
            }

            // A number never used (an insert rolled back: the same session signed out twice at once) is let go.
            foreach (var skipped in _gaps.Where(g => now - g.Value > GapKept).Select(g => g.Key).ToList())
            {
                _gaps.Remove(skipped);
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task PurgeAsync(CancellationToken ct)
    {
        revocations.ForgetExpired();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        var now = clock.GetUtcNow();
        // Compared in memory: SQLite cannot order DateTimeOffset values in a query, and the table holds only live sign-outs.
        var expired = (await db.RevokedSessions.AsNoTracking().Select(r => new { r.Id, r.ExpiresAt }).ToListAsync(ct))
            .Where(r => r.ExpiresAt <= now).Select(r => r.Id).ToList();
        if (expired.Count > 0)
        {
            await db.RevokedSessions.Where(r => expired.Contains(r.Id)).ExecuteDeleteAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the sessions signed out on other instances; trying again")]
    private static partial void LogSyncFailed(ILogger logger, Exception ex);
}

public static class SessionRevocationMiddleware
{
    /// <summary>After authentication: a principal whose session has ended is no one, so every endpoint and the hub answer 401.</summary>
    public static WebApplication UseSessionRevocation(this WebApplication app)
    {
        var revocations = app.Services.GetRequiredService<SessionRevocations>();
        app.Use((http, next) =>
        {
            if (revocations.IsEnded(http.User))
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            }

            return next(http);
        });
        return app;
    }
}
