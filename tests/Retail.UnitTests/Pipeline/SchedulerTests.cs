using Microsoft.Extensions.Time.Testing;
using Retail.Pipeline.Scheduling;

namespace Retail.UnitTests.Pipeline;

public sealed class SchedulerTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task Catches_up_missed_days_then_fires_at_the_cron_time_for_yesterday()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 10, 9, 30, 0, TimeSpan.Zero));
        var ran = new List<DateOnly>();
        var fired = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var scheduler = new DailyScheduler(DailyScheduler.Parse("0 2 * * *"), London,
            (d, _) => { lock (ran) { ran.Add(d); } fired.Release(); return Task.CompletedTask; },
            _ => Task.FromResult<DateOnly?>(new DateOnly(2025, 6, 6)), clock);
        var waiting = new SemaphoreSlim(0);
        scheduler.Waiting += _ => waiting.Release();
        var loop = scheduler.RunAsync(stop.Token);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([new DateOnly(2025, 6, 7), new DateOnly(2025, 6, 8), new DateOnly(2025, 6, 9)], ran);

        // 02:00 London (BST) on 11 June is 01:00 UTC: nothing before it, then yesterday's run.
        clock.Advance(TimeSpan.FromHours(15.4));
        Assert.Equal(3, ran.Count);
        clock.Advance(TimeSpan.FromHours(0.2));
        Assert.True(await fired.WaitAsync(TimeSpan.FromSeconds(10)));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateOnly(2025, 6, 10), ran[^1]);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task With_no_history_it_runs_only_yesterday_and_bad_cron_is_explained()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero));
        var ran = new List<DateOnly>();
        using var stop = new CancellationTokenSource();
        var scheduler = new DailyScheduler(
            DailyScheduler.Parse("30 3 * * *"),
            London,
            (d, _) =>
            {
                ran.Add(d);
                return Task.CompletedTask;
            },
            _ => Task.FromResult<DateOnly?>(null),
            clock);
        scheduler.Waiting += _ => stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scheduler.RunAsync(stop.Token));
        Assert.Equal([new DateOnly(2025, 1, 14)], ran);
        var e = Assert.Throws<ArgumentException>(() => DailyScheduler.Parse("every day at two"));
        Assert.Contains("0 2 * * *", e.Message);
    }
}
