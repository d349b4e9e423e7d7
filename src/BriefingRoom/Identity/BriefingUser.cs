using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

public class BriefingUser : IdentityUser
{
    /// <summary>How the user appears to others in the room ("Hungary – delegate"), set by the invitation that seated them.</summary>
    [PersonalData]
    public string? DisplayName { get; set; }

    /// <summary>What others see: the display name, never the e-mail address (guests and other delegations see it too).</summary>
    public string NameForOthers => NameFor(Id, DisplayName);

    /// <summary>Without a display name, a neutral name that tells people apart and reveals nothing about the person.</summary>
    public static string NameFor(string userId, string? displayName) =>
        string.IsNullOrWhiteSpace(displayName)
            ? $"Participant {new string([.. userId.Where(char.IsLetterOrDigit).Take(6)]).ToUpperInvariant()}"
            : displayName;
}
