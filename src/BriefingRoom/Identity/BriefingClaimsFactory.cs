using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>Puts the display name into the cookie or token, so that events can name their author without a database read.</summary>
public sealed class BriefingClaimsFactory(UserManager<BriefingUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<BriefingUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(BriefingUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(BriefingClaims.DisplayName, user.NameForOthers));
        return identity;
    }
}
