using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Retail.Dashboard.Components.Charts;
using Retail.Dashboard.State;
using Retail.Data.Queries;
using PlotLayout = Plotly.Blazor.Layout;

namespace Retail.Dashboard.Components.Pages;

/// <summary>One product for the URL's filter: its daily series, its stores, its share of its category and of all sales.</summary>
public sealed partial class ProductView : IDisposable
{
    [Parameter] public string? Sku { get; set; }

    [Inject] private SharedView Shared { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [CascadingParameter(Name = "DarkMode")] public bool Dark { get; set; }

    private readonly CancellationTokenSource _stop = new();
    private ViewQuery View { get; set; } = ViewQuery.Parse(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>());
    private FilterOptions? _options;
    private SalesFilter? _filter;
    private ProductDetail? _detail;
    private string? _error;
    private bool _loading;
    private int _version;

    private PlotlyChart? _chart;
    private readonly Config _config = ChartStyle.Config();
    private PlotLayout _layout = ChartStyle.Layout(false, 280);
    private IList<ITrace> _data = [];
    private bool _redraw;

    protected override void OnInitialized() => Navigation.LocationChanged += OnLocationChanged;

    // A query-only navigation (a filter, Back) sets no parameter; a new SKU does, through OnParametersSetAsync.
    private async void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        if (_stop.IsCancellationRequested || !new Uri(e.Location).AbsolutePath.EndsWith("/products/" + Path(), StringComparison.Ordinal))
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

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        // Two quick navigations fire two loads; only the latest may land.
        var version = ++_version;
        _loading = true;
        var view = ViewQuery.Parse(Navigation.Uri);
        var entry = await Shared.GetAsync(_stop.Token);
        var error = entry.DatabaseError;
        SalesFilter? filter = null;
        ProductDetail? detail = null;
        if (entry.Options is { } options && !string.IsNullOrEmpty(Sku) && Sku.Length <= ViewQuery.MaxValueLength)
        {
            filter = view.ToFilter(options, DateOnly.FromDateTime(Clock.GetLocalNow().Date));
            try
            {
                detail = await Shared.Queries.GetProductAsync(filter, Sku, _stop.Token);
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
        (View, _options, _filter, _detail, _error) = (view, entry.Options ?? _options, filter, detail, error);
        Draw();
        _loading = false;
    }

    private void Draw()
    {
        if (_detail is not { } d)
        {
            return;
        }
        _redraw = true;
        _layout = ChartStyle.Layout(Dark, 280);
        _layout.HoverMode = HoverModeEnum.XUnified;
        _layout.XAxis =
        [
            new XAxis
            {
                Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, TickFormat = "%d %b", HoverFormat = "%a %d %b %Y",
                GridColor = ChartStyle.Grid(Dark), FixedRange = true,
            },
        ];
        _layout.YAxis = [ChartStyle.MoneyAxis(Dark)];
        _data =
        [
            new Bar
            {
                Name = "Revenue",
                X = d.Daily.Select(p => (object)p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                Y = ChartStyle.Pounds(d.Daily.Select(p => p.RevenuePence)), CustomData = d.Daily.Select(p => (object)p.Units).ToList(),
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = ChartStyle.Revenue(Dark) },
                HoverTemplate = "Revenue £%{y:,.2f} · %{customdata:,} units<extra></extra>",
            },
        ];
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_redraw && !firstRender && _chart is not null)
        {
            _redraw = false;
            await _chart.React();
        }
    }

    private static string Pct(decimal v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private string StoresText(SalesFilter f) => f.Stores.Count == 0 || _options is null
        ? "all stores"
        : string.Join(", ", _options.Stores.Where(s => f.Stores.Contains(s.Key)).Select(s => s.Name));

    private static string Summary(ProductDetail d) => d.Daily.Count == 0 ? "No days in this view."
        : $"{d.Daily.Count} days, {Format.Money(d.RevenuePence)} in all; best day {Format.Day(d.Daily.MaxBy(x => x.RevenuePence)!.Date)}.";

    private void Go(ViewQuery view) => Navigation.NavigateTo($"products/{Path()}{view.ToQueryString()}");

    private void StorePicked(string name)
    {
        if (_options?.Stores.FirstOrDefault(s => s.Name == name) is { } store)
        {
            Go(View with { Stores = [store.Code] });
        }
    }

    private string Path() => ProductLink.Path(Sku ?? "");

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _stop.Cancel();
        _stop.Dispose();
    }
}
