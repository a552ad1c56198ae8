namespace Retail.Core.Reference;

/// <summary>A store as the warehouse knows it: key, natural key (code) and the attributes of marts.dim_store.</summary>
public sealed record StoreSeed(short Key, string Code, string Name, string Town, string Postcode, string Format, DateOnly OpenedOn);

/// <summary>A member of a one-column dimension (category, payment method, channel): key and natural key.</summary>
public sealed record LookupSeed(short Key, string Name);

/// <summary>
/// The chain's reference data, defined once: the generator draws from it and every schema apply upserts it into the
/// dimensions by natural key. Keys are explicit and never reused; a member that leaves stays (facts point at it).
/// Bump <see cref="Version"/> with every change (a unit test pins the content to the version).
/// </summary>
public sealed record ReferenceSeed(
    int Version,
    IReadOnlyList<StoreSeed> Stores,
    IReadOnlyList<LookupSeed> Categories,
    IReadOnlyList<LookupSeed> PaymentMethods,
    IReadOnlyList<LookupSeed> Channels)
{
    /// <summary>What is wrong with this seed (duplicate or non-positive keys, duplicate natural keys), or null.</summary>
    public string? Problem()
    {
        var dimensions = new (string Name, IEnumerable<(short Key, string Natural)> Members)[]
        {
            ("store", Stores.Select(s => (s.Key, s.Code))),
            ("category", Categories.Select(c => (c.Key, c.Name))),
            ("payment method", PaymentMethods.Select(p => (p.Key, p.Name))),
            ("channel", Channels.Select(c => (c.Key, c.Name))),
        };
        foreach (var (name, members) in dimensions)
        {
            var list = members.ToList();
            if (list.FirstOrDefault(m => m.Key <= 0) is { Natural: not null } bad)
            {
                return $"reference seed v{Version}: {name} '{bad.Natural}' has key {bad.Key}; keys start at 1";
            }
            if (list.GroupBy(m => m.Key).FirstOrDefault(g => g.Count() > 1) is { } key)
            {
                return $"reference seed v{Version}: two {name}s share key {key.Key}";
            }
            if (list.GroupBy(m => m.Natural).FirstOrDefault(g => g.Count() > 1) is { } natural)
            {
                return $"reference seed v{Version}: {name} '{natural.Key}' is listed twice";
            }
        }
        return null;
    }

    private static readonly DateOnly Always = new(2000, 1, 1);

    /// <summary>The chain as shipped.</summary>
    public static ReferenceSeed Chain { get; } = new(
        Version: 1,
        Stores:
        [
            new(1, "HEN", "Argos Hendon", "Hendon", "NW4 3FP", "Superstore", Always),
            new(2, "MLH", "Argos Mill Hill", "Mill Hill", "NW7 3HU", "Store", Always),
            new(3, "BAR", "Argos Barnet", "Barnet", "EN5 5XY", "Store", Always),
            new(4, "EDG", "Argos Edgware", "Edgware", "HA8 7BJ", "Store", Always),
            new(5, "FIN", "Argos Finchley", "Finchley", "N12 0DR", "Store", Always),
            new(6, "GOG", "Argos Golders Green", "Golders Green", "NW11 7TJ", "Local", Always),
            new(7, "BXC", "Argos Brent Cross", "Brent Cross", "NW4 3FP", "Superstore", Always),
            new(8, "WEM", "Argos Wembley", "Wembley", "HA9 0QJ", "Superstore", Always),
            new(9, "HAR", "Argos Harrow", "Harrow", "HA1 1BB", "Store", Always),
            new(10, "ENF", "Argos Enfield", "Enfield", "EN1 3RQ", "Store", Always),
            new(11, "SOU", "Argos Southgate", "Southgate", "N14 6BS", "Local", Always),
            new(12, "WDG", "Argos Wood Green", "Wood Green", "N22 6YQ", "Store", Always),
            new(13, "CAM", "Argos Camden", "Camden", "NW1 0JH", "Local", Always),
            new(14, "KIL", "Argos Kilburn", "Kilburn", "NW6 6RG", "Local", Always),
            new(15, "STA", "Argos Stanmore", "Stanmore", "HA7 4AQ", "Local", Always),
            // Opened during the default demo year, so the data shows a store ramping up.
            new(16, "COL", "Argos Colindale", "Colindale", "NW9 5XT", "Store", new DateOnly(2026, 5, 15)),
        ],
        Categories:
        [
            new(1, "Technology"),
            new(2, "Home & Garden"),
            new(3, "Toys"),
            new(4, "Sports & Leisure"),
            new(5, "Health & Beauty"),
            new(6, "Baby & Nursery"),
            new(7, "Jewellery & Watches"),
            new(8, "Clothing"),
            new(9, "Office & Stationery"),
            new(10, "Pets"),
        ],
        PaymentMethods: [new(1, "card"), new(2, "contactless"), new(3, "cash"), new(4, "gift_card")],
        Channels: [new(1, "in_store"), new(2, "click_collect"), new(3, "home_delivery")]);
}
