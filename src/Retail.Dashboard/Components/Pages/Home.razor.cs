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
        // Leaving for another page (a product) disposes this one: reloading it then would end the circuit.
        if (_stop.IsCancellationRequested || Navigation.ToBaseRelativePath(e.Location).Split('?', '#')[0].Length > 0)
        {
            return;
        }
        try
        {
            await InvokeAsync(async () =>
            {
                await ReloadAsync();
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
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

    // Drill-down: a click on a store, category or day narrows the view to it, as one navigation (Back returns).
    private void OnStorePicked(string name)
    {
        if (State.Options?.Stores.FirstOrDefault(s => s.Name == name) is { } store)
        {
            OnQueryChanged(State.Query with { Stores = [store.Code] });
        }
    }

    private void OnCategoryPicked(string name)
    {
        if (State.Options?.Categories.FirstOrDefault(c => c.Name == name) is { } category)
        {
            OnQueryChanged(State.Query with { Categories = [category.Code] });
        }
    }

    // A heatmap cell opens its breakdown (the same cell again, or Close, closes it): one navigation each, so Back undoes it.
    private void OnCellPicked(HeatCellKey? cell) => OnQueryChanged(State.Query with { Cell = cell == State.Query.Cell ? null : cell });

    private void OnDayPicked(DateOnly day) => OnQueryChanged(State.Query with { Preset = "custom", From = day, To = day });

    /// <summary>What the printed report is of: dates, stores and categories in words.</summary>
    private string ViewDescription(SalesFilter filter)
    {
        var options = State.Options;
        string Names(IReadOnlyList<short> keys, IReadOnlyList<Choice>? all, string none) =>
            keys.Count == 0 || all is null ? none : string.Join(", ", all.Where(c => keys.Contains(c.Key)).Select(c => c.Name));
        return $"{Charts.Format.Day(filter.From)} to {Charts.Format.Day(filter.To)} · "
            + $"{Names(filter.Stores, options?.Stores, "all stores")} · "
            + $"{Names(filter.Categories, options?.Categories, "all categories")}";
    }

    private Charts.Comparisons CompareFor(SalesFilter filter) => new(
        PeriodCoverage.IsFullyLoaded(filter, filter.Previous, State.Options?.FirstDate),
        PeriodCoverage.IsFullyLoaded(filter, filter.LastYear, State.Options?.FirstDate));

    private string ExportHref(string what) => $"export/{what}.csv{State.Query.ToQueryString()}";

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _stop.Cancel();
        _timer?.Dispose();
        _stop.Dispose();
    }
}
