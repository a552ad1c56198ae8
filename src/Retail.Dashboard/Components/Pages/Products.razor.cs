using Microsoft.AspNetCore.Components;
using Retail.Dashboard.Components.Charts;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Pages;

/// <summary>
/// Every product for the current filter: searched, sorted and paged in SQL (<see cref="SalesQueries.GetProductsAsync"/>).
/// The list's state is the URL, like the dashboard's, so Back and Forward and bookmarks work.
/// </summary>
public sealed partial class Products : IDisposable
{
    [Inject] private SharedView Shared { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;

    private readonly CancellationTokenSource _stop = new();
    private ViewQuery View { get; set; } = ViewQuery.Parse(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>());
    private ProductListQuery List { get; set; } = ProductListQuery.Default;
    private FilterOptions? _options;
    private SalesFilter? _filter;
    private ProductPage _page = new([], 0);
    private bool _previousLoaded;
    private string? _search;
    private string? _error;
    private bool _loading;
    private int _version;

    private int Pages => Math.Max(1, (_page.Total + ProductListQuery.PageSize - 1) / ProductListQuery.PageSize);

    private SortOrder Order => new(List.Sort switch
    {
        ProductSort.Units => "units",
        ProductSort.Change => "change",
        ProductSort.Name => "name",
        _ => "revenue",
    }, List.Descending);

    private string CountText => _page.Total == 0
        ? "No product matches."
        : $"{Format.Count(_page.Total)} products{(List.Search is { } s ? $" matching “{s}”" : "")} · page {List.Page} of {Pages} · "
          + "products that sold nothing in the period are listed with £0.00 (they lead the bottom sellers).";

    protected override async Task OnInitializedAsync()
    {
        // A query-only navigation (page, sort, search, Back) keeps this component and sets no parameter: reload on it.
        Navigation.LocationChanged += OnLocationChanged;
        await LoadAsync();
    }

    private async void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        if (_stop.IsCancellationRequested || !new Uri(e.Location).AbsolutePath.EndsWith("/products", StringComparison.Ordinal))
        {
            return;
        }
        try
        {
            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task LoadAsync()
    {
        // Back pressed twice fires two loads; only the latest may land, or a slower older one would show its page.
        var version = ++_version;
        _loading = true;
        var view = ViewQuery.Parse(Navigation.Uri);
        var list = ProductListQuery.Parse(Navigation.Uri);
        var entry = await Shared.GetAsync(_stop.Token);
        string? error = entry.DatabaseError;
        ProductPage? page = null;
        SalesFilter? filter = null;
        if (entry.Options is { } options)
        {
            filter = view.ToFilter(options, DateOnly.FromDateTime(Clock.GetLocalNow().Date));
            try
            {
                page = await Shared.Queries.GetProductsAsync(filter, list.ToRequest(), _stop.Token);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException
                                           or InvalidOperationException { InnerException: Npgsql.NpgsqlException })
            {
                error = SharedView.Unavailable;
            }
        }
        if (version != _version)
        {
            return;
        }
        (View, List, _search, _error) = (view, list, list.Search, error);
        if (entry.Options is { } known && filter is not null)
        {
            _options = known;
            _filter = filter;
            _previousLoaded = PeriodCoverage.IsFullyLoaded(filter, filter.Previous, known.FirstDate);
            _page = page ?? _page;
        }
        _loading = false;
    }

    private static string Href(ViewQuery view, ProductListQuery list) => $"products{view.ToQueryString()}{list.ToQueryPart()}";

    private string ProductHref(string sku) => ProductLink.Href(sku, View.ToQueryString());

    private void Go(ViewQuery view, ProductListQuery list) => Navigation.NavigateTo(Href(view, list));

    private void Search() => Go(View, List with { Search = string.IsNullOrWhiteSpace(_search) ? null : _search.Trim(), Page = 1 });

    private void Sort(SortOrder order) => Go(View, List with
    {
        Sort = order.Column switch
        {
            "units" => ProductSort.Units,
            "change" => ProductSort.Change,
            "name" => ProductSort.Name,
            _ => ProductSort.Revenue,
        },
        Descending = order.Descending,
        Page = 1,
    });

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _stop.Cancel();
        _stop.Dispose();
    }
}
