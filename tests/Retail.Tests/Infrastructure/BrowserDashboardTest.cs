namespace Retail.Tests.Infrastructure;

/// <summary>
/// What the dashboard's browser test classes share: the shared four-month warehouse (40,000 lines), one headless
/// Chromium per class, and a working folder for the dashboard processes they start.
/// </summary>
public abstract class BrowserDashboardTest(PostgresFixture pg) : IAsyncLifetime
{
    protected static readonly DateOnly From = new(2025, 9, 1);
    protected static readonly DateOnly To = new(2025, 12, 31);

    protected LoadedWarehouse W { get; private set; } = null!;
    protected HeadlessChromium Chromium { get; private set; } = null!;
    protected TempDir Dir { get; } = new();

    public async Task InitializeAsync()
    {
        W = await pg.SharedAsync("browser", 40_000, From, To);
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        Dir.Dispose();
    }
}
