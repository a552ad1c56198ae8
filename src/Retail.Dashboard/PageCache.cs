using Microsoft.AspNetCore.OutputCaching;

namespace Retail.Dashboard;

/// <summary>
/// The server-side render of the page, shared for a second between visitors asking for the same URL. Rendering the
/// MudBlazor tree was most of a page's CPU (more than summing the cube), and every visitor of a URL gets the same
/// HTML until the data changes; twenty clients on two busy cores queued behind twenty identical renders. Concurrent
/// misses wait for the one render in progress (locking) rather than each rendering. The interactive circuit that
/// follows loads the current view itself. Only the page, only GET/HEAD, only 200s, and never behind the login
/// (where the response carries a session's antiforgery pair).
/// </summary>
internal sealed class PageCache(bool enabled) : IOutputCachePolicy
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public static void AddServices(WebApplicationBuilder builder, DashboardAccess access) =>
        builder.Services.AddOutputCache(o => o.AddBasePolicy(new PageCache(!access.RequiresLogin)));

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var request = context.HttpContext.Request;
        var page = enabled && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path == "/";
        context.EnableOutputCaching = page;
        context.AllowCacheLookup = page;
        context.AllowCacheStorage = page;
        context.AllowLocking = page;
        context.CacheVaryByRules.QueryKeys = "*";
        context.ResponseExpirationTimeSpan = MaxAge;
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}
