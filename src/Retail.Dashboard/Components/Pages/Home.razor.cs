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
    private bool _loading;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        await ReloadAsync(ViewQuery.Parse(Navigation.Uri), pageLoad: true);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
            _ = WatchAsync();
        }
    }

    // The view whose load started last, as its canonical query string: the browser's echo of a navigation this page
    // asked for finds it already loading and does not load it twice.
    private string? _loadingFor;

    private Task ReloadAsync() => ReloadAsync(ViewQuery.Parse(Navigation.Uri));

    private async Task ReloadAsync(ViewQuery query, bool pageLoad = false)
    {
        _loadingFor = query.ToQueryString();
        _loading = true;
        if (await State.LoadAsync(query, _stop.Token, pageLoad))
        {
            _loading = false;
        }
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
                // Back, Forward or a typed URL load here; a click's own navigation started its load already.
                if (ViewQuery.Parse(e.Location).ToQueryString() == _loadingFor)
                {
                    return;
                }
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

    /// <summary>
    /// A filter change: the URL changes (one history entry) and the view starts loading at once, not after the browser has
    /// echoed the navigation back (a round trip that cost ~100 ms on a busy machine before any query ran).
    /// </summary>
    private void OnQueryChanged(ViewQuery query)
    {
        var target = query.ToQueryString();
        Navigation.NavigateTo(target);
        _ = LoadAndShowAsync(ViewQuery.Parse(Navigation.ToAbsoluteUri(target).ToString()));
    }

    private async Task LoadAndShowAsync(ViewQuery query)
    {
        try
        {
            await ReloadAsync(query);
            StateHasChanged();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

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
