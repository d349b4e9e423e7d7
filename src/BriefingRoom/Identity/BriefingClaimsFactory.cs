using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>
/// Puts the display name into the cookie or token, so that events can name their author without a database read,
/// and a new session id, so that signing out can end this session and no other (see <see cref="SessionRevocations"/>).
/// </summary>
public sealed class BriefingClaimsFactory(UserManager<BriefingUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<BriefingUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(BriefingUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(BriefingClaims.DisplayName, user.NameForOthers));
        identity.AddClaim(new Claim(BriefingClaims.SessionId, Guid.NewGuid().ToString("N")));
        return identity;
    }

    /// <summary>A principal rebuilt for an existing session (a refreshed token, a re-validated cookie) keeps that session's id.</summary>
    public static void KeepSession(ClaimsPrincipal rebuilt, ClaimsPrincipal current)
    {
        if (rebuilt.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        foreach (var fresh in identity.FindAll(BriefingClaims.SessionId).ToList())
        {
            identity.RemoveClaim(fresh);
        }

        if (SessionRevocations.SessionOf(current) is { } sid)
        {
            identity.AddClaim(new Claim(BriefingClaims.SessionId, sid));
        }
    }
}
