using Microsoft.Extensions.Caching.Memory;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// The figures of recent page loads, for the next page load of the same view. A visit renders the page on the server and
/// then again in its interactive circuit; without this both ran every widget's SQL, and at 100M lines the second run was
/// 100–250 ms of a first visit after a restart. An entry's key is the view, its dates and the newest published batch, so
/// it is exact for as long as it can be found (a new batch is a new key). Filter changes inside a circuit never read it:
/// they always ask the warehouse. Bounded in entries and age, so it does not grow with the data or the visitors.
/// </summary>
public sealed class RecentViews : IDisposable
{
    public const int Capacity = 32;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _views;

    public RecentViews(TimeProvider clock) =>
        _views = new MemoryCache(new MemoryCacheOptions { SizeLimit = Capacity, Clock = new Clock(clock) });

    public DashboardData? Find(string key) => _views.TryGetValue(key, out DashboardData? data) ? data : null;

    public void Keep(string key, DashboardData data) =>
        _views.Set(key, data, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge });

    public void Dispose() => _views.Dispose();

    // MemoryCache takes its time from this interface; the dashboard's clock is a TimeProvider (tests move it).
    private sealed class Clock(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
