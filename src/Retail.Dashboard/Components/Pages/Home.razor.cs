using Microsoft.AspNetCore.Components;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Pages;

/// <summary>
/// The one page. Its view is the URL: filter changes navigate (no reload), and the new query string drives
/// a reload of the state. A timer notices new loads and database recovery.
/// </summary>
public sealed partial class Home : IDisposable
{
    [Inject] private DashboardState State { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private readonly CancellationTokenSource _stop = new();
    private PeriodicTimer? _timer;
    private bool _interactive;
    private bool _loading;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        await ReloadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _interactive = true;
            _timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
            _ = WatchAsync();
            StateHasChanged();
        }
    }

    private async Task ReloadAsync()
    {
        _loading = true;
        await State.LoadAsync(ViewQuery.Parse(Navigation.Uri), _stop.Token);
        _loading = false;
    }

    private async void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        try
        {
            await InvokeAsync(async () =>
            {
                await ReloadAsync();
                StateHasChanged();
            });
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchAsync()
    {
        try
        {
            while (await _timer!.WaitForNextTickAsync(_stop.Token))
            {
                if (await State.HasNewDataAsync(_stop.Token))
                {
                    await InvokeAsync(async () =>
                    {
                        await ReloadAsync();
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnQueryChanged(ViewQuery query) => Navigation.NavigateTo(query.ToQueryString());

    private void OnTopChanged(TopBy by) => OnQueryChanged(State.Query with { Top = by });

    private string ExportHref(string what) => $"export/{what}.csv{State.Query.ToQueryString()}";

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _stop.Cancel();
        _timer?.Dispose();
        _stop.Dispose();
    }
}
