using System.Collections.Concurrent;
using System.Threading.Channels;
using BriefingRoom.Invitations;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>
/// Sends the letters with a link to choose a new password, one after another, after the request has been answered:
/// the answer must come as fast for an address with an account as for one without, and an SMTP server's pace must not
/// hold it. At most one letter every <see cref="Interval"/> per account, so that nobody can fill a delegate's inbox by
/// asking again and again (the asker gets the same answer).
/// </summary>
public sealed partial class PasswordResetLetters(Mailer mailer, IOptions<MailOptions> options, TimeProvider clock, ILogger<PasswordResetLetters> log)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(2);

    /// <summary>How long a reset link works (Identity's token lifespan is set to it).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    public const string LinkPath = "/#/reset-password";

    // Bounded by the number of accounts: only an account's own id is ever a key.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    private readonly Channel<(BriefingUser User, string Link)> _queue =
        Channel.CreateBounded<(BriefingUser, string)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Queues the letter, unless this account had one within <see cref="Interval"/>.</summary>
    public void Send(BriefingUser user, string code, Uri requestBase)
    {
        var now = clock.GetUtcNow();
        var last = _lastSent.GetOrAdd(user.Id, DateTimeOffset.MinValue);
        if (now - last < Interval || !_lastSent.TryUpdate(user.Id, now, last))
        {
            return;
        }

        var link = new Uri(options.Value.LinkBase(requestBase),
            $"{LinkPath}?email={Uri.EscapeDataString(user.Email!)}&code={Uri.EscapeDataString(code)}").ToString();
        if (!_queue.Writer.TryWrite((user, link)))
        {
            _lastSent.TryUpdate(user.Id, last, now);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (user, link) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // Built in here: an address MimeKit cannot read (an account made before such addresses were refused)
                // throws as the letter is addressed, and one letter not sent must not stop the loop, nor the instance.
                var message = mailer.Message(user.DisplayName, user.Email!, "Choose a new BriefingRoom password", $"""
                    Someone, we hope you, asked for a new password for the BriefingRoom account of {user.Email}.

                    To choose it, open this link:

                    {link}

                    The link works once, for an hour. Choosing a new password signs out every browser and device signed in with the old one.
                    If you did not ask for this, ignore this message: your password stays as it is.
                    """);
                await mailer.DeliverAsync(message, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The asker was answered already; they may ask again once the interval has passed. Only the service's own
                // stop ends the loop: a cancellation from anywhere else (a library giving up on its own) is one more
                // letter not sent, not a reason to stop sending, nor, by .NET's default, to stop the instance.
                LogNotSent(log, user.Id, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A password reset letter for account {UserId} could not be sent")]
    private static partial void LogNotSent(ILogger logger, string userId, Exception ex);
}
