namespace BriefingRoom.Identity;

public static class BriefingRoles
{
    /// <summary>The one global role: runs the installation, creates meetings, grants any membership.</summary>
    public const string Admin = "Admin";
}

public static class BriefingClaims
{
    public const string DisplayName = "briefing:display_name";

    /// <summary>One per sign-in, carried by its cookie or tokens and kept by a refresh: what signing out ends.</summary>
    public const string SessionId = "briefing:sid";
}
