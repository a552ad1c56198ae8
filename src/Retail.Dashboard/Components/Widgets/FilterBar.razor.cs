using Microsoft.AspNetCore.Components;
using MudBlazor;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Widgets;

public sealed partial class FilterBar
{
    [Parameter, EditorRequired] public Retail.Data.Queries.FilterOptions Options { get; set; } = null!;
    [Parameter, EditorRequired] public ViewQuery Query { get; set; } = null!;
    [Parameter] public SalesFilter? Filter { get; set; }
    [Parameter] public EventCallback<ViewQuery> QueryChanged { get; set; }

    private static readonly (string, string)[] PresetLabels =
    [
        ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days"), ("mtd", "Month to date"), ("ytd", "Year to date"), ("all", "All"),
    ];

    private DateRange CurrentRange => new(ToDateTime(Filter?.From), ToDateTime(Filter?.To));

    private string StoreName(string? code) => Options.Stores.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "";

    private static DateTime? ToDateTime(DateOnly? d) => d?.ToDateTime(TimeOnly.MinValue);

    private Task StoresChanged(IEnumerable<string?>? values) => QueryChanged.InvokeAsync(Query with { Stores = (values ?? []).OfType<string>().ToArray() });

    private Task CategoriesChanged(IEnumerable<string?>? values) => QueryChanged.InvokeAsync(Query with { Categories = (values ?? []).OfType<string>().ToArray() });

    private Task PresetChanged(string? preset) =>
        string.IsNullOrEmpty(preset) ? Task.CompletedTask : QueryChanged.InvokeAsync(Query with { Preset = preset, From = null, To = null });

    private Task RangeChanged(DateRange? range) =>
        range?.Start is { } start && range.End is { } end
            ? QueryChanged.InvokeAsync(Query with { Preset = "custom", From = DateOnly.FromDateTime(start), To = DateOnly.FromDateTime(end) })
            : Task.CompletedTask;
}
