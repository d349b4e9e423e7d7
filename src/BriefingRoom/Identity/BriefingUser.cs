using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

public class BriefingUser : IdentityUser
{
    /// <summary>How the user appears to others in the room ("Hungary – delegate"); defaults to the e-mail address.</summary>
    [PersonalData]
    public string? DisplayName { get; set; }

    public string NameForOthers => DisplayName ?? UserName ?? Id;
}
