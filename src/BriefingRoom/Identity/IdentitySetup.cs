using BriefingRoom.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

public static class IdentitySetup
{
    /// <summary>
    /// ASP.NET Core Identity with its API endpoints: cookies for the browser, bearer tokens for API and load
    /// clients (also as ?access_token= on the hub, where WebSockets cannot send headers).
    /// </summary>
    public static IServiceCollection AddBriefingIdentity(this IServiceCollection services)
    {
        services.AddAuthorization();
        services.AddIdentityApiEndpoints<BriefingUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Password.RequiredLength = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BriefingDb>()
            .AddClaimsPrincipalFactory<BriefingClaimsFactory>();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "briefing.auth";
            cookie.Cookie.HttpOnly = true;
            // Strict: no other site can make the browser send this cookie, so it cannot act as a signed-in delegate.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(14);
            // The front end is a static page: an API call without identity gets 401, never a redirect to a login page.
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, bearer =>
        {
            bearer.BearerTokenExpiration = TimeSpan.FromHours(1);
            bearer.Events = new BearerTokenEvents
            {
                OnMessageReceived = context =>
                {
                    var token = context.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
            };
        });

        return services;
    }

    public static RouteGroupBuilder MapBriefingIdentity(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapIdentityApi<BriefingUser>();
        auth.MapPost("/logout", async (SignInManager<BriefingUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        }).RequireAuthorization().WithSummary("Sign out of the cookie session.");

        app.MapGet("/api/me", (System.Security.Claims.ClaimsPrincipal user) =>
        {
            var caller = Meetings.MeetingAccessResolver.CallerOf(user);
            return TypedResults.Ok(new MeDto(caller.UserId, user.Identity?.Name ?? "", caller.Name, caller.IsAdmin));
        }).RequireAuthorization().WithTags("Sign-in").WithSummary("Who the caller is.");

        return auth;
    }
}

public sealed record MeDto(string Id, string Email, string Name, bool IsAdmin);
