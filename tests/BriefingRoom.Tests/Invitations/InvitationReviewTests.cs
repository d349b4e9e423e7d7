using System.Data.Common;
using System.Text.RegularExpressions;
using BriefingRoom.Data;
using BriefingRoom.Invitations;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Invitations;

/// <summary>Invitations through a real SMTP server: whoever the app agrees to invite can take the seat.</summary>
[Collection(MailCollection.Name)]
public partial class InvitationReviewTests(MailServer mail)
{
    private const string NewPassword = "Dublin-Brussels-2025!";

    private BriefingApp AppSendingMail() => mail.NewApp();

    [Fact]
    public async Task AnAddressWithAnApostropheThatWasInvitedCanTakeItsSeat()
    {
        // An apostrophe is an ordinary character of an address's local part (RFC 5322 atext), and a common Irish name.
        const string Sean = "sean.o'brien@example.ie";
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = Sean, displayName = "Ireland – Seán O'Brien", role = "observer" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync(Sean)).TextBody ?? "").Value);
        using var sean = app.CreateClient();

        await (await sean.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword })).ShouldBeAsync(200);

        var tokens = await (await sean.PostJsonAsync("/api/auth/login", new { email = Sean, password = NewPassword })).ReadJsonAsync();
        sean.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        var snapshot = await sean.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.Equal((MeetingRole.Observer, "Ireland – Seán O'Brien"), (snapshot.You!.Role, snapshot.You.Name));
    }

    [Fact]
    public async Task AWithdrawalThatCrossesTheAcceptanceDoesNotReportWithdrawnWhileTheSeatIsTaken()
    {
        var withdrawal = new FirstInvitationUpdate();
        await using var app = AppSendingMail().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(withdrawal)));
        using var chair = await app.SignInAsync("chair");
        var invited = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "crossing@example.org", displayName = "Observer (crossing)", role = "observer" })).ReadAsync<InvitationDto>();
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync("crossing@example.org")).TextBody ?? "").Value);

        // The chair withdraws: the invitation was read as open, and its write waits on the disk while the invitee accepts.
        withdrawal.HoldNext();
        var withdrawing = chair.DeleteAsync($"/api/meetings/1/invitations/{invited.Id}", TestHttp.Ct);
        await withdrawal.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        using var invitee = app.CreateClient();
        var accepted = await invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        withdrawal.Release();
        var withdrawn = await withdrawing;

        var seated = app.WithDb(db => db.Memberships.Count(m => m.MeetingId == 1 && db.Users.Any(u => u.Id == m.UserId && u.Email == "crossing@example.org")));
        var answer = withdrawn.IsSuccessStatusCode ? (await withdrawn.ReadAsync<InvitationDto>()).State.ToString() : ((int)withdrawn.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(accepted.IsSuccessStatusCode && withdrawn.IsSuccessStatusCode,
            $"the acceptance got {(int)accepted.StatusCode} and the withdrawal {(int)withdrawn.StatusCode} ({answer}), and the invitee holds {seated} seat(s)");
        await withdrawn.ShouldBeAsync(409);
        Assert.Equal(1, seated);
    }

    [GeneratedRegex(@"http://\S+#/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    /// <summary>Holds the first write to an invitation after <see cref="HoldNext"/> (a tracked update or a bulk one) until released.</summary>
    private sealed class FirstInvitationUpdate : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task Held => _held.Task;

        public void HoldNext() => Interlocked.Exchange(ref _armed, 1);

        public void Release() => _released.TrySetResult();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command, cancellationToken);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command, cancellationToken);
            return result;
        }

        private async Task HoldAsync(DbCommand command, CancellationToken ct)
        {
            if (command.CommandText.Contains("UPDATE \"Invitations\"", StringComparison.Ordinal) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
            {
                _held.TrySetResult();
                await _released.Task.WaitAsync(ct);
            }
        }
    }
}
