namespace Retail.Core.Catalogue;

/// <summary>A shop in the chain. Traffic is relative (1.0 = an average store).</summary>
public sealed record Store(short Key, string Code, string Name, string Town, string Postcode, string Format, double Traffic, DateOnly OpenedOn)
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

/// <summary>The chain's stores: Hendon, Mill Hill, Barnet and a dozen more across North London.</summary>
public static class StoreCatalogue
{
    private static readonly DateOnly Always = new(2000, 1, 1);

    public static IReadOnlyList<Store> All { get; } =
    [
        new(1, "HEN", "Argos Hendon", "Hendon", "NW4 3FP", "Superstore", 1.40, Always),
        new(2, "MLH", "Argos Mill Hill", "Mill Hill", "NW7 3HU", "Store", 0.90, Always),
        new(3, "BAR", "Argos Barnet", "Barnet", "EN5 5XY", "Store", 1.10, Always),
        new(4, "EDG", "Argos Edgware", "Edgware", "HA8 7BJ", "Store", 1.00, Always),
        new(5, "FIN", "Argos Finchley", "Finchley", "N12 0DR", "Store", 0.95, Always),
        new(6, "GOG", "Argos Golders Green", "Golders Green", "NW11 7TJ", "Local", 0.60, Always),
        new(7, "BXC", "Argos Brent Cross", "Brent Cross", "NW4 3FP", "Superstore", 1.80, Always),
        new(8, "WEM", "Argos Wembley", "Wembley", "HA9 0QJ", "Superstore", 1.50, Always),
        new(9, "HAR", "Argos Harrow", "Harrow", "HA1 1BB", "Store", 1.20, Always),
        new(10, "ENF", "Argos Enfield", "Enfield", "EN1 3RQ", "Store", 1.05, Always),
        new(11, "SOU", "Argos Southgate", "Southgate", "N14 6BS", "Local", 0.55, Always),
        new(12, "WDG", "Argos Wood Green", "Wood Green", "N22 6YQ", "Store", 1.15, Always),
        new(13, "CAM", "Argos Camden", "Camden", "NW1 0JH", "Local", 0.80, Always),
        new(14, "KIL", "Argos Kilburn", "Kilburn", "NW6 6RG", "Local", 0.65, Always),
        new(15, "STA", "Argos Stanmore", "Stanmore", "HA7 4AQ", "Local", 0.50, Always),
        // Opened during the default demo year, so the data shows a store ramping up.
        new(16, "COL", "Argos Colindale", "Colindale", "NW9 5XT", "Store", 0.85, new DateOnly(2026, 5, 15)),
    ];

    public static Store? ByCode(string code) => All.FirstOrDefault(s => s.Code == code);
}
