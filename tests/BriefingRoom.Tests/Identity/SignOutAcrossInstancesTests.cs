using BriefingRoom.Data;
using BriefingRoom.Identity;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BriefingRoom.Tests.Identity;

/// <summary>
/// Sign-outs recorded on PostgreSQL by two requests at once: a row's number is drawn when it is inserted, so the row
/// with the lower number may commit after the one above it, which another instance may already have read.
/// </summary>
public sealed class SignOutAcrossInstancesTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override BriefingApp Configure(BriefingApp instance) => instance.With("Briefing:Sessions:RevocationSyncInterval", "00:00:00.100");

    // B's look for sign-outs recorded elsewhere, which a test can make give up once.
    private readonly FailingInterceptor _lookOfB = new(sql => sql.Contains("FROM \"RevokedSessions\"", StringComparison.Ordinal),
        () => new OperationCanceledException("A read of the sign-outs that gave up (a fault of the test)."));

    protected override BriefingApp ConfigureSecond(BriefingApp instance) =>
        instance.WithServices(s => s.ConfigureDbContext<PostgresBriefingDb>(o => o.AddInterceptors(_lookOfB)));

    private string SessionOf(string token) =>
        A.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme)
            .BearerTokenProtector.Unprotect(token)!.Principal.FindFirst(BriefingClaims.SessionId)!.Value;

    private async Task<(HubConnection Hub, Task<Exception?> Closed)> ConnectToBAsync(string token)
    {
        var hub = B.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        return (hub, closed);
    }

    [Fact]
    public async Task ASignOutRecordedBehindALaterOneStillEndsTheSessionOnTheOtherInstance()
    {
        var chair = await A.TokenForAsync("chair");
        var france = await A.TokenForAsync("fr");
        var (chairOnB, chairClosed) = await ConnectToBAsync(chair);
        var (franceOnB, franceClosed) = await ConnectToBAsync(france);
        await using var _ = chairOnB;
        await using var __ = franceOnB;

        // Another transaction holds the chair's session id in the unique index: the chair's sign-out draws its row's
        // number and then waits for that transaction.
        var database = A.WithDb(db => db.Database.GetConnectionString())!;
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync(Ct);
        await using var held = await holder.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand("""INSERT INTO "RevokedSessions" ("SessionId", "RevokedAt", "ExpiresAt") VALUES (@sid, now(), now() + interval '1 day')""", holder, held))
        {
            insert.Parameters.AddWithValue("sid", SessionOf(chair));
            await insert.ExecuteNonQueryAsync(Ct);
        }

        using var chairOnA = A.ClientWithToken(chair);
        var chairSignsOut = chairOnA.PostAsync("/api/auth/logout", null, Ct);
        await WaitUntilASignOutWaitsOnAsync(database, holder.ProcessID);

        // France signs out meanwhile: its row, numbered after the chair's, commits first, and B reads it.
        using var franceOnA = A.ClientWithToken(france);
        await (await franceOnA.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);
        await franceClosed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // The holder lets go: the chair's row commits, under the lower number.
        await held.RollbackAsync(Ct);
        await (await chairSignsOut).ShouldBeAsync(204);

        // B looks every 100 ms: the chair's connection there is closed at its next look, as France's was.
        await chairClosed.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        using var onB = B.ClientWithToken(chair);
        await (await onB.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(401);
    }

    /// <summary>
    /// The look for sign-outs recorded by other instances caught every failure but a cancellation, and a cancellation it
    /// did not ask for (a driver or library giving up on its own) ended the loop for good, quietly: the instance went on
    /// accepting every session signed out elsewhere until it restarted. Such a failure is now logged as the others
    /// are, and the next look reads what it missed.
    /// </summary>
    [Fact]
    public async Task ALookThatGivesUpOnItsOwnDoesNotEndTheLooksForSignOuts()
    {
        var france = await A.TokenForAsync("fr");
        var (franceOnB, franceClosed) = await ConnectToBAsync(france);
        await using var _ = franceOnB;

        _lookOfB.FailNext();
        await _lookOfB.Failed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var franceOnA = A.ClientWithToken(france);
        await (await franceOnA.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);

        await franceClosed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var onB = B.ClientWithToken(france);
        await (await onB.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(401);
    }

    /// <summary>Asks PostgreSQL until a statement waits on the holder's lock (the sign-out's insert), for at most ten seconds.</summary>
    private static async Task WaitUntilASignOutWaitsOnAsync(string database, int holderPid)
    {
        await using var watcher = new NpgsqlConnection(database);
        await watcher.OpenAsync(Ct);
        await using var blocked = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE @pid = ANY(pg_blocking_pids(pid))", watcher);
        blocked.Parameters.AddWithValue("pid", holderPid);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while ((long)(await blocked.ExecuteScalarAsync(deadline.Token))! == 0)
        {
        }
    }
}
