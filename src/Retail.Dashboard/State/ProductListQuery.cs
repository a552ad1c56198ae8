using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// The product list's own part of the URL (?q=lamp&amp;sort=units&amp;dir=asc&amp;page=2), beside the filter's
/// (<see cref="ViewQuery"/>). Bad values fall back to the defaults and are named in <see cref="Problems"/>.
/// </summary>
public sealed record ProductListQuery(string? Search, ProductSort Sort, bool Descending, int Page)
{
    public const int PageSize = 50;

    /// <summary>No catalogue has this many pages of 50; a bigger number is not a page.</summary>
    public const int MaxPage = 10_000;

    public static ProductListQuery Default { get; } = new(null, ProductSort.Revenue, true, 1);

    public IReadOnlyList<string> Problems { get; init; } = [];

    public static ProductListQuery Parse(string uri) => Parse(QueryHelpers.ParseQuery(new Uri(uri).Query));

    public static ProductListQuery Parse(IReadOnlyDictionary<string, StringValues> q)
    {
        var problems = new List<string>();
        string? One(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        var search = One("q")?.Trim();
        if (search is { Length: > ProductListRequest.MaxSearchLength })
        {
            problems.Add($"q: a search is at most {ProductListRequest.MaxSearchLength} characters; it was cut.");
            search = search[..ProductListRequest.MaxSearchLength];
        }
        var sort = ProductSort.Revenue;
        if (One("sort") is { } s)
        {
            // Names only: Enum.TryParse would also take "2" or "0,1".
            if (Enum.GetNames<ProductSort>().FirstOrDefault(n => string.Equals(n, s, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                sort = Enum.Parse<ProductSort>(name);
            }
            else
            {
                problems.Add("sort: use revenue, units, change or name.");
            }
        }
        var descending = sort != ProductSort.Name;
        if (One("dir") is { } d)
        {
            if (d is "asc" or "desc")
            {
                descending = d == "desc";
            }
            else
            {
                problems.Add("dir: use asc or desc.");
            }
        }
        var page = 1;
        if (One("page") is { } p
            && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaxPage))
        {
            problems.Add($"page: use a number from 1 to {MaxPage}.");
            page = 1;
        }
        return new ProductListQuery(search, sort, descending, page) { Problems = problems };
    }

    public ProductListRequest ToRequest() => new(Search, Sort, Descending, (Page - 1) * PageSize, PageSize);

    /// <summary>This part of the query string, to append to the filter's (starting with &amp;; empty for the defaults).</summary>
    public string ToQueryPart()
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(Search))
        {
            parts.Add($"q={Uri.EscapeDataString(Search)}");
        }
        if (Sort != ProductSort.Revenue)
        {
            parts.Add($"sort={Sort.ToString().ToLowerInvariant()}");
        }
        if (Descending != (Sort != ProductSort.Name))
        {
            parts.Add($"dir={(Descending ? "desc" : "asc")}");
        }
        if (Page > 1)
        {
            parts.Add($"page={Page}");
        }
        return string.Concat(parts.Select(p => "&" + p));
    }
}
