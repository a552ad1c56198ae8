using Retail.Dashboard;

namespace Retail.Tests.Dashboard;

public sealed class DashboardWarmupTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8501", "http://127.0.0.1:8501")]
    [InlineData("http://0.0.0.0:8501", "http://127.0.0.1:8501")]
    [InlineData("http://[::]:8600", "http://[::1]:8600")]
    [InlineData("http://+:8501", "http://localhost:8501")]
    [InlineData("http://*:80", "http://localhost")]
    [InlineData("https://dash.example:8443", "https://dash.example:8443")]
    public void The_warm_up_reaches_a_wildcard_address_on_loopback(string listening, string reached) =>
        Assert.Equal(reached, DashboardWarmup.Loopback(listening));

    [Fact]
    public async Task The_charts_are_serialised_through_plotlys_own_interop_without_a_browser()
    {
        var calls = await Retail.Dashboard.Components.Charts.ChartWarmup.WarmAsync(CancellationToken.None);
        // The interop's own calls: its module imported, then the chart drawn and redrawn with the serialised chart.
        Assert.Equal("import", calls[0]);
        Assert.Contains("newPlot", calls);
        Assert.Contains("react", calls);
    }
}
