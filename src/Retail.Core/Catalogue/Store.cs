using Retail.Core.Reference;

namespace Retail.Core.Catalogue;

/// <summary>A shop in the chain. Traffic is relative (1.0 = an average store).</summary>
public sealed record Store(
    short Key, string Code, string Name, string Town, string Postcode, string Format, double Traffic, DateOnly OpenedOn)
{
    public bool IsOpenOn(DateOnly d) => d >= OpenedOn && !UkCalendar.StoresClosed(d);

    /// <summary>Trading hours in local time, [open, close) in whole hours; Sundays and bank holidays are shorter.</summary>
    public (int Open, int Close) Hours(DateOnly d)
    {
        if (d.Month == 12 && d.Day == 24)
        {
            return (9, 17);
        }
        if (d.Month == 1 && d.Day == 1)
        {
            return (10, 17);
        }
        if (d.DayOfWeek == DayOfWeek.Sunday)
        {
            // Sunday trading law: six hours for large shops.
            return Format == "Superstore" ? (11, 17) : (10, 16);
        }
        if (UkCalendar.IsBankHoliday(d))
        {
            return (10, 18);
        }
        return Format switch
        {
            "Superstore" => (8, 21),
            "Store" => (9, 20),
            _ => (9, 18),
        };
    }
}

/// <summary>The chain's stores: the reference seed's, each with its generator-only traffic weight.</summary>
public static class StoreCatalogue
{
    /// <summary>Relative footfall by store code; the generator's only store attribute the warehouse does not hold.</summary>
    private static readonly Dictionary<string, double> Traffic = new()
    {
        ["HEN"] = 1.40, ["MLH"] = 0.90, ["BAR"] = 1.10, ["EDG"] = 1.00, ["FIN"] = 0.95, ["GOG"] = 0.60,
        ["BXC"] = 1.80, ["WEM"] = 1.50, ["HAR"] = 1.20, ["ENF"] = 1.05, ["SOU"] = 0.55, ["WDG"] = 1.15,
        ["CAM"] = 0.80, ["KIL"] = 0.65, ["STA"] = 0.50, ["COL"] = 0.85,
    };

    public static IReadOnlyList<Store> All { get; } = For(ReferenceSeed.Chain);

    /// <summary>The seed's stores in key order, each with its traffic (a store the seed adds needs one here).</summary>
    internal static Store[] For(ReferenceSeed seed) =>
        seed.Stores.OrderBy(s => s.Key)
            .Select(s => new Store(s.Key, s.Code, s.Name, s.Town, s.Postcode, s.Format, TrafficOf(s.Code), s.OpenedOn))
            .ToArray();

    private static double TrafficOf(string code) => Traffic.TryGetValue(code, out var traffic)
        ? traffic
        : throw new InvalidOperationException($"store '{code}' is in the reference seed but has no traffic weight in StoreCatalogue");

    public static Store? ByCode(string code) => All.FirstOrDefault(s => s.Code == code);
}
