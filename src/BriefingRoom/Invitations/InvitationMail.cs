using System.ComponentModel.DataAnnotations;
using System.Globalization;
using BriefingRoom.Meetings;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BriefingRoom.Invitations;

public enum SmtpSecurity
{
    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,
    /// <summary>Plain text: only for a server on the same machine or a test server on loopback.</summary>
    None,
}

/// <summary>Settings under "Briefing:Mail": where invitations go out. Validated at start.</summary>
public sealed class MailOptions
{
    public const string Section = "Briefing:Mail";

    /// <summary>The SMTP server. Without one, invitations are written to <see cref="PickupFolder"/> (Development's default).</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;

    public string? SmtpUsername { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>
    /// How long a letter waits for the SMTP server at each step (connecting, each answer) before it gives up: an
    /// invitation is then refused and not saved, a password reset letter is not sent.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sender's address, e.g. "briefingroom@consilium.example".</summary>
    public string? From { get; set; }

    public string FromName { get; set; } = "BriefingRoom";

    /// <summary>A folder where each invitation is written as an .eml file instead of being sent (relative to the app's folder).</summary>
    public string? PickupFolder { get; set; }

    /// <summary>The address people reach the app at, for the links in invitations; else the address the inviter used.</summary>
    public string? PublicUrl { get; set; }

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where the links in mail lead: <see cref="PublicUrl"/>, else the address the request came to.</summary>
    public Uri LinkBase(Uri requestBase) => PublicUrl is { Length: > 0 } configured ? new Uri(configured.TrimEnd('/') + "/") : requestBase;
}

/// <summary>Refuses to start with settings that would lose invitations: they are the only way in.</summary>
public sealed class MailOptionsValidator(IHostEnvironment environment) : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions o)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            if (string.IsNullOrWhiteSpace(o.From) || !MailboxAddress.TryParse(o.From, out _) || !o.From.Contains('@', StringComparison.Ordinal))
            {
                errors.Add($"{MailOptions.Section}:From must be the sender's e-mail address when {MailOptions.Section}:SmtpHost is set.");
            }

            if (string.IsNullOrEmpty(o.SmtpUsername) != string.IsNullOrEmpty(o.SmtpPassword))
            {
                errors.Add($"{MailOptions.Section}:SmtpUsername and SmtpPassword go together: set both or neither.");
            }
        }
        else if (string.IsNullOrWhiteSpace(o.PickupFolder) && !environment.IsDevelopment())
        {
            errors.Add($"{MailOptions.Section}:SmtpHost is not set: invitations, the only way into a meeting, could not be sent. " +
                $"Set SmtpHost, SmtpPort, SmtpSecurity and From (or {MailOptions.Section}:PickupFolder to write them to files).");
        }

        if (!string.IsNullOrWhiteSpace(o.PublicUrl)
            && !(Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add($"{MailOptions.Section}:PublicUrl must be an absolute http(s) address, e.g. https://briefing.example.org.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>What the mail says, and how it went out.</summary>
public sealed record InvitationLetter(string To, string DisplayName, string MeetingTitle, string DocumentNumber, string Seat, string InvitedBy, string Link, DateTimeOffset ExpiresAt);

public enum Delivery
{
    Sent,
    /// <summary>Written to the pickup folder: nobody received it, the inviter passes the link on.</summary>
    Written,
}

/// <summary>
/// Sends the app's mail (invitations, password resets) through MailKit to the configured SMTP server, or writes it to
/// the pickup folder.
/// </summary>
public sealed class Mailer(IOptions<MailOptions> options, IHostEnvironment environment)
{
    public bool SendsMail => !string.IsNullOrWhiteSpace(options.Value.SmtpHost);

    public string PickupFolder => Path.GetFullPath(options.Value.PickupFolder is { Length: > 0 } folder ? folder : "mail", environment.ContentRootPath);

    public Task<Delivery> DeliverAsync(InvitationLetter letter, CancellationToken ct) => DeliverAsync(Compose(letter), ct);

    /// <summary>A plain-text message from the app's sender.</summary>
    public MimeMessage Message(string? toName, string to, string subject, string text)
    {
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(o.FromName, string.IsNullOrWhiteSpace(o.From) ? "briefingroom@localhost" : o.From));
        message.To.Add(new MailboxAddress(toName, to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public async Task<Delivery> DeliverAsync(MimeMessage message, CancellationToken ct)
    {
        if (!SendsMail)
        {
            Directory.CreateDirectory(PickupFolder);
            var file = Path.Combine(PickupFolder, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}.eml");
            // Written aside, then renamed: whatever reads the folder (a mail server's pickup, a person) never sees half a letter.
            var partial = file + ".partial";
            await message.WriteToAsync(partial, ct);
            File.Move(partial, file);
            return Delivery.Written;
        }

        var o = options.Value;
        using var smtp = new SmtpClient { Timeout = (int)o.SmtpTimeout.TotalMilliseconds };
        var security = o.SmtpSecurity switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await smtp.ConnectAsync(o.SmtpHost!, o.SmtpPort, security, ct);
        if (!string.IsNullOrEmpty(o.SmtpUsername))
        {
            await smtp.AuthenticateAsync(o.SmtpUsername, o.SmtpPassword ?? "", ct);
        }

        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(quit: true, ct);
        return Delivery.Sent;
    }

    /// <summary>
    /// Whether a letter can be addressed to <paramref name="email"/> as MailKit reads it: [EmailAddress] only looks for
    /// one '@', and an address it lets through ("Eve &lt;eve@...&gt;", "eve.@...") would fail at every sending.
    /// </summary>
    public static bool CanAddress(string email)
    {
        try
        {
            _ = new MailboxAddress((string?)null, email);
            return true;
        }
        catch (ParseException)
        {
            return false;
        }
    }

    private MimeMessage Compose(InvitationLetter letter)
    {
        var expires = letter.ExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return Message(letter.DisplayName, letter.To, $"Invitation: {letter.MeetingTitle}", $"""
            {letter.InvitedBy} invites you to {letter.MeetingTitle} ({letter.DocumentNumber}) as {letter.Seat}.
            The others in the room will see you as "{letter.DisplayName}".

            To accept, open this link and choose your password (or, if you already have a BriefingRoom account, enter it):

            {letter.Link}

            The link works once, until {expires}. Do not forward it: whoever opens it takes the seat.
            If you did not expect this invitation, ignore this message.
            """);
    }

    /// <summary>"the delegate of France", "an observer", "the chair".</summary>
    public static string SeatOf(MeetingRole role, string? delegationName) => role switch
    {
        MeetingRole.Chair => "the chair",
        MeetingRole.Secretariat => "a member of the secretariat",
        MeetingRole.Delegate => $"a delegate of {delegationName}",
        _ => delegationName is null ? "an observer" : $"an observer for {delegationName}",
    };
}
