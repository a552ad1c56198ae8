using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Widgets;

public sealed partial class FilterBar
{
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Parameter, EditorRequired] public Retail.Data.Queries.FilterOptions Options { get; set; } = null!;
    [Parameter, EditorRequired] public ViewQuery Query { get; set; } = null!;
    [Parameter] public SalesFilter? Filter { get; set; }
    [Parameter] public EventCallback<ViewQuery> QueryChanged { get; set; }

    private static readonly (string, string)[] PresetLabels =
    [
        ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days"),
        ("mtd", "Month to date"), ("ytd", "Year to date"), ("all", "All"),
    ];

    private MudDateRangePicker? _dates;

    private DateRange CurrentRange => new(ToDateTime(Filter?.From), ToDateTime(Filter?.To));

    private string StoreName(string? code) => Options.Stores.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "";

    private static DateTime? ToDateTime(DateOnly? d) => d?.ToDateTime(TimeOnly.MinValue);

    private Task StoresChanged(IEnumerable<string?>? values) =>
        QueryChanged.InvokeAsync(Query with { Stores = (values ?? []).OfType<string>().ToArray() });

    private Task CategoriesChanged(IEnumerable<string?>? values) =>
        QueryChanged.InvokeAsync(Query with { Categories = (values ?? []).OfType<string>().ToArray() });

    private Task PresetChanged(string? preset) =>
        string.IsNullOrEmpty(preset) || preset == Query.Preset
            ? Task.CompletedTask
            : QueryChanged.InvokeAsync(Query with { Preset = preset, From = null, To = null });

    /// <summary>
    /// Only a range the user picked is a change: the picker also reports the range it is given after a preset click,
    /// which used to push a second history entry (preset=custom) and lose the preset.
    /// </summary>
    private Task RangeChanged(DateRange? range) =>
        ViewQuery.PickedRange(Query, Filter, range?.Start, range?.End) is { } picked
            ? QueryChanged.InvokeAsync(picked)
            : Task.CompletedTask;

    /// <summary>
    /// Enter, Space or Down on the date inputs opens the calendar, as a click does, and moves focus into it: no key opened
    /// it (WCAG 2.1.1), so a custom range could not be chosen by keyboard.
    /// </summary>
    private async Task DatesKeyDown(KeyboardEventArgs e)
    {
        if (_dates is null || e.Key is not ("Enter" or " " or "ArrowDown"))
        {
            return;
        }
        await _dates.OpenAsync();
        await using var calendar = await JS.InvokeAsync<IJSObjectReference>("import", "./calendar.js");
        await calendar.InvokeVoidAsync("focusCalendar");
    }
}
