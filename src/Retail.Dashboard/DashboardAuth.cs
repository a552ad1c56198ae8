using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Retail.Dashboard.Components.Account;

namespace Retail.Dashboard;

/// <summary>
/// Cookie login for a dashboard exposed beyond loopback: every endpoint (page, exports, the Blazor hub, assets) needs
/// a signed-in user except the login form itself; sign-in attempts are rate limited per client address.
/// A loopback dashboard gets none of this.
/// </summary>
internal static class DashboardAuth
{
    private const string LoginLimit = "login";

    /// <summary>Sign-in attempts per client address per minute.</summary>
    public const int AttemptsPerMinute = 5;

    /// <summary>
    /// Decides the access from the options (throws a settings error when exposed without credentials) and registers
    /// what it needs.
    /// </summary>
    public static DashboardAccess AddServices(WebApplicationBuilder builder, DashboardOptions options)
    {
        var access = DashboardAccess.Resolve(options.Urls, options.Variable, options.NoAuth);
        if (!access.RequiresLogin)
        {
            return access;
        }
        builder.Services.AddSingleton(access.Credentials!);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/login";
            o.Cookie.Name = "retail.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // Only a page visit is sent to the form; downloads and the Blazor hub get a plain 401.
            o.Events.OnRedirectToLogin = ctx =>
            {
                var wantsPage = HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Headers.Accept.ToString().Contains("text/html",
                    StringComparison.Ordinal);
                if (wantsPage)
                {
                    ctx.Response.Redirect(ctx.RedirectUri);
                }
                else
                {
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = AttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
        });
        return access;
    }

    public static void MapEndpoints(WebApplication app, DashboardAccess access)
    {
        if (!access.RequiresLogin)
        {
            return;
        }
        app.UseRateLimiter();
        app.MapGet("/login", (string? returnUrl, string? failed) =>
            new RazorComponentResult<LoginPage>(new { ReturnUrl = LocalOrRoot(returnUrl), Failed = failed == "1" })).AllowAnonymous();
        app.MapPost("/login", SignInAsync).AllowAnonymous().RequireRateLimiting(LoginLimit);
        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    private static async Task<RedirectHttpResult> SignInAsync(HttpContext http, DashboardCredentials credentials, ILoggerFactory logs,
        [FromForm(Name = "user")] string? user,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var target = LocalOrRoot(returnUrl);
        if (!credentials.Matches(user, password))
        {
            // The address only: neither the password nor the user name typed ends up in a log.
            logs.CreateLogger("Retail.Dashboard.Login").LogWarning("dashboard: failed sign-in from {Address}",
                http.Connection.RemoteIpAddress);
            return TypedResults.Redirect($"/login?failed=1&returnUrl={Uri.EscapeDataString(target)}");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credentials.User)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(target);
    }

    /// <summary>Only a path on this site: an absolute or protocol-relative return URL would make the form an open redirect.</summary>
    internal static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && url.Length <= 2048 ? url : "/";
}
