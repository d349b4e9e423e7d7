using BriefingRoom.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

public static class IdentitySetup
{
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(14);
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(14);

    /// <summary>The longest a cookie or refresh token issued now can be presented: how long a sign-out must be remembered.</summary>
    public static TimeSpan LongestSession { get; } = CookieLifetime > RefreshTokenLifetime ? CookieLifetime : RefreshTokenLifetime;

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
                // The user name is the e-mail address, checked as one: Identity's default letters-digits-and-"-._@+" refused
                // addresses that are valid and invited (sean.o'brien@...), so their invitations could never be accepted.
                options.User.AllowedUserNameCharacters = "";
                // Per account, Identity's lockout let anyone lock a delegate out with five wrong guesses: SignInThrottle instead.
                options.Lockout.AllowedForNewUsers = false;
                options.Password.RequiredLength = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BriefingDb>()
            .AddClaimsPrincipalFactory<BriefingClaimsFactory>()
            .AddPasswordValidator<PasswordLengthLimit>();

        // The cookie's principal is rebuilt from the database every few minutes (security stamp check): same session.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal is not null && context.CurrentPrincipal is not null)
            {
                BriefingClaimsFactory.KeepSession(context.NewPrincipal, context.CurrentPrincipal);
            }

            return Task.CompletedTask;
        });
        // Checked at start, though read only when someone registers: "yes" there started silently and answered 500 to everyone.
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateOnStart();
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DecoyPassword>();
        services.AddScoped<PasswordCheck>();
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Anyone may ask for a reset letter, and the request's Host is theirs to write: a link made from it led the code to
        // a site of the asker's choosing. Outside Development, letters go out only with the app's own address to link to,
        // whether they are sent or written to a pickup folder that a mail server sends from.
        services.AddOptions<Invitations.MailOptions>().Validate<IHostEnvironment>(
                (mail, environment) => environment.IsDevelopment() || !string.IsNullOrWhiteSpace(mail.PublicUrl),
                $"{Invitations.MailOptions.Section}:PublicUrl must be set outside Development: the links in letters " +
                "(a password reset's among them) must lead to this app's own address, never to the one a request names in its Host header.")
            .ValidateOnStart();
        services.AddSingleton<PasswordResetLetters>();
        services.AddHostedService(sp => sp.GetRequiredService<PasswordResetLetters>());
        // A reset link works for an hour (and once: the password's new security stamp voids it).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = PasswordResetLetters.LinkLifetime);
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<SessionRevocationSync>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRevocationSync>());

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "briefing.auth";
            cookie.Cookie.HttpOnly = true;
            // Strict: no other site can make the browser send this cookie, so it cannot act as a signed-in delegate.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Secure outside Development (below), whatever the app sees: behind a proxy that ends TLS the request arrives as http.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = CookieLifetime;
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

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IHostEnvironment>((cookie, environment) =>
        {
            if (!environment.IsDevelopment())
            {
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            }
        });

        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, bearer =>
        {
            bearer.BearerTokenExpiration = TimeSpan.FromHours(1);
            // A working day, like the cookie: a stolen refresh token does not outlive the summit.
            bearer.RefreshTokenExpiration = RefreshTokenLifetime;
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
        var auth = app.MapAuth();
        auth.MapPasswords();
        return auth;
    }
}

/// <summary>
/// A password no longer than every path that checks one takes (an invitation accepted as an existing account reads at
/// most 1,000 characters): a longer one was saved, and its holder could never accept a seat with it.
/// </summary>
public sealed class PasswordLengthLimit : IPasswordValidator<BriefingUser>
{
    public const int Max = 1_000;

    public Task<IdentityResult> ValidateAsync(UserManager<BriefingUser> manager, BriefingUser user, string? password) =>
        Task.FromResult(password is { Length: > Max }
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"A password is at most {Max:N0} characters.") })
            : IdentityResult.Success);
}
