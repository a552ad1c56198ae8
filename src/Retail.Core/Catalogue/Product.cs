using Retail.Core.Reference;

namespace Retail.Core.Catalogue;

/// <summary>A SKU. Prices are integer pence.</summary>
public sealed record Product(int Key, string Sku, string Name, string Category, string Subcategory, string Brand, int PricePence);

/// <summary>A category of the reference seed (key, name) with the generator's assortment, share and seasonality.</summary>
public sealed record Category(short Key, string Name, IReadOnlyList<Subcategory> Subcategories, double Share, double[] MonthWeights);

/// <summary>What the generator sells in a category and when: generator-only, keyed by the seed's category name.</summary>
internal sealed record Assortment(IReadOnlyList<Subcategory> Subcategories, double Share, double[] MonthWeights);

public sealed record Subcategory(string Name, string[] Brands, string[] Items, string[] Variants, int MinPriceStep, int MaxPriceStep);

/// <summary>
/// An Argos-like catalogue of about 960 SKUs: curated categories, brands and items combined deterministically
/// from the seed, with price points from a retail ladder (…9.99, 14.99, 19.99…) inside each subcategory's band.
/// </summary>
public sealed class ProductCatalogue
{
    /// <summary>Retail price points in pence; subcategory bands index into this ladder.</summary>
    private static readonly int[] PriceLadder =
    [
        99, 149, 199, 249, 299, 349, 399, 499, 599, 699, 799, 899, 999, 1299, 1499, 1799, 1999, 2499, 2999, 3499,
        3999, 4499, 4999, 5999, 6999, 7999, 8999, 9999, 11999, 12999, 14999, 17999, 19999, 22999, 24999, 27999,
        29999, 34999, 39999, 44999, 49999, 59999, 69999, 79999, 89999, 99999, 119999, 149999,
    ];

    //                                                       J    F    M    A    M    J    J    A    S    O    N    D
    private static readonly double[] Flat = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];

    private static readonly Dictionary<string, Assortment> Assortments = new()
    {
        ["Technology"] = new([
            new("Televisions", ["Samsung", "LG", "Sony", "Bush", "Hisense"],
                ["32in HD TV", "43in 4K TV", "50in 4K TV", "55in QLED TV", "65in OLED TV"],
                ["Smart", "Freeview Play", "2025 model"], 24, 47),
            new("Laptops & Tablets", ["Apple", "Lenovo", "HP", "Acer", "Samsung"],
                ["14in Laptop", "15.6in Laptop", "Chromebook", "10in Tablet", "11in Tablet"], ["128GB", "256GB", "512GB"], 29, 47),
            new("Headphones", ["Sony", "JBL", "Bose", "Apple", "Beats"],
                ["Wireless Earbuds", "Over-Ear Headphones", "Noise Cancelling Headphones", "Sports Earphones"],
                ["Black", "White", "Blue"], 12, 38),
            new("Gaming", ["Nintendo", "PlayStation", "Xbox", "Turtle Beach", "Logitech"],
                ["Console", "Controller", "Gaming Headset", "Game", "Charging Dock"], ["Standard", "Bundle", "Special Edition"], 16, 41),
            new("Smart Home & Phones", ["Amazon", "Google", "Ring", "TP-Link", "Motorola"],
                ["Smart Speaker", "Video Doorbell", "Smart Plug", "Mobile Phone", "Phone Case"],
                ["Single", "Twin Pack", "Charcoal"], 7, 38),
        ], 0.22, [0.85, 0.8, 0.85, 0.85, 0.9, 0.9, 0.95, 1.0, 0.95, 1.0, 1.45, 1.5]),
        ["Home & Garden"] = new([
            new("Kitchen Appliances", ["Breville", "Ninja", "Russell Hobbs", "Tefal", "Cookworks"],
                ["Kettle", "Toaster", "Air Fryer", "Microwave", "Blender", "Coffee Machine"],
                ["Black", "Stainless Steel", "Cream"], 12, 33),
            new("Furniture", ["Habitat", "Argos Home", "Hygena"],
                ["Sofa", "Bed Frame", "Wardrobe", "Chest of Drawers", "Desk", "Bookcase"],
                ["Oak Effect", "White", "Grey", "Walnut"], 23, 41),
            new("Bedding", ["Argos Home", "Silentnight", "Slumberdown"],
                ["Duvet", "Pillow Pair", "Mattress Protector", "Bedding Set", "Mattress"], ["Single", "Double", "King"], 8, 33),
            new("Garden", ["Bosch", "Flymo", "Char-Broil", "Keter"],
                ["Lawnmower", "Strimmer", "BBQ", "Garden Storage Box", "Hose Reel", "Patio Set"],
                ["Cordless", "Electric", "Large"], 12, 40),
            new("Lighting & Decor", ["Argos Home", "Habitat", "Yankee Candle"],
                ["Table Lamp", "Floor Lamp", "Mirror", "Cushion", "Candle", "Rug"], ["Grey", "Ochre", "Natural"], 5, 25),
        ], 0.20, [0.9, 0.85, 1.05, 1.15, 1.25, 1.2, 1.15, 1.05, 0.95, 0.9, 0.95, 1.0]),
        ["Toys"] = new([
            new("LEGO & Construction", ["LEGO", "Mega Bloks"],
                ["City Set", "Technic Set", "Friends Set", "Star Wars Set", "Classic Brick Box"], ["Small", "Medium", "Large"], 8, 36),
            new("Dolls & Figures", ["Barbie", "Bluey", "Paw Patrol", "Marvel"],
                ["Doll", "Playset", "Action Figure", "Figure Pack"], ["Standard", "Deluxe"], 6, 24),
            new("Outdoor Toys", ["Chad Valley", "TP Toys", "Micro"],
                ["Trampoline", "Scooter", "Paddling Pool", "Swing Set", "Bike"], ["Kids", "Junior", "Large"], 12, 37),
            new("Games & Puzzles", ["Hasbro", "Ravensburger", "Mattel"],
                ["Board Game", "Jigsaw Puzzle", "Card Game", "Family Game"], ["Classic", "Travel", "Deluxe"], 4, 20),
        ], 0.13, [0.6, 0.6, 0.7, 0.8, 0.75, 0.8, 0.85, 0.85, 0.8, 1.0, 1.7, 2.6]),
        ["Sports & Leisure"] = new([
            new("Fitness", ["Opti", "Pro Fitness", "Reebok"],
                ["Exercise Bike", "Treadmill", "Dumbbell Set", "Yoga Mat", "Kettlebell"], ["Standard", "Pro"], 7, 41),
            new("Bikes & Camping", ["Apollo", "Carrera", "Pro Action", "Coleman"],
                ["Mountain Bike", "Hybrid Bike", "Tent", "Sleeping Bag", "Camping Chair"], ["Adult", "Junior", "4 Person"], 12, 40),
            new("Sports Equipment", ["Mitre", "Slazenger", "Dunlop"],
                ["Football", "Tennis Racket", "Goal", "Table Tennis Table", "Cricket Set"], ["Size 5", "Junior", "Senior"], 6, 37),
        ], 0.09, [1.5, 1.1, 1.0, 1.05, 1.15, 1.2, 1.15, 1.05, 0.9, 0.8, 0.85, 0.95]),
        ["Health & Beauty"] = new([
            new("Hair Care", ["Remington", "BaByliss", "Dyson", "ghd"],
                ["Hair Dryer", "Straightener", "Curling Wand", "Hair Clipper"], ["Standard", "Pro", "Gift Set"], 8, 41),
            new("Shaving & Grooming", ["Philips", "Braun", "Gillette"],
                ["Electric Shaver", "Beard Trimmer", "Body Groomer", "Razor Pack"], ["Series 3", "Series 5", "Series 7"], 5, 36),
            new("Oral Care & Wellbeing", ["Oral-B", "Philips Sonicare", "Omron", "Salter"],
                ["Electric Toothbrush", "Refill Heads", "Blood Pressure Monitor", "Bathroom Scale"], ["Standard", "Twin Pack"], 6, 29),
            new("Fragrance", ["Hugo Boss", "Calvin Klein", "Jimmy Choo"],
                ["Eau de Toilette 50ml", "Eau de Parfum 100ml", "Gift Set"], ["For Him", "For Her"], 17, 27),
        ], 0.12, [0.9, 1.1, 0.9, 0.9, 0.95, 0.95, 0.9, 0.9, 0.9, 0.95, 1.3, 1.7]),
        ["Baby & Nursery"] = new([
            new("Pushchairs & Car Seats", ["Joie", "Cosatto", "Silver Cross", "Maxi-Cosi"],
                ["Car Seat", "Pushchair", "Pram", "Travel System"], ["Black", "Grey", "Navy"], 24, 40),
            new("Nursery Furniture", ["Cuggl", "Mamas & Papas", "Tutti Bambini"],
                ["Cot Bed", "Changing Unit", "Highchair", "Baby Monitor"], ["White", "Grey", "Natural"], 20, 39),
        ], 0.025, Flat),
        ["Jewellery & Watches"] = new([
            new("Watches", ["Casio", "Sekonda", "Accurist", "Garmin", "Apple"],
                ["Digital Watch", "Analogue Watch", "Smartwatch", "Fitness Tracker"], ["Men's", "Ladies'", "Unisex"], 14, 44),
            new("Jewellery", ["Revere", "Moissanite", "Argos Jewellery"],
                ["9ct Gold Necklace", "Sterling Silver Earrings", "Bracelet", "Ring"], ["Gold", "Silver", "Rose Gold"], 14, 40),
        ], 0.08, [0.7, 1.3, 0.85, 0.85, 0.9, 0.85, 0.85, 0.85, 0.85, 0.95, 1.35, 2.2]),
        ["Clothing"] = new([
            new("Nightwear & Loungewear", ["Tu", "Argos Home"],
                ["Pyjama Set", "Dressing Gown", "Slippers", "Lounge Pants"], ["S", "M", "L", "XL"], 7, 18),
            new("Kids' Clothing", ["Tu", "Disney"],
                ["Hoodie", "Joggers", "School Shoes", "Coat"], ["Age 4-5", "Age 7-8", "Age 10-11"], 6, 19),
        ], 0.04, [1.1, 0.85, 0.9, 0.9, 0.9, 0.9, 0.95, 1.15, 1.2, 1.0, 1.05, 1.4]),
        ["Office & Stationery"] = new([
            new("Office", ["HP", "Canon", "Epson", "Fellowes", "Brother"],
                ["Printer", "Ink Cartridge", "Shredder", "Office Chair", "Label Maker"], ["Black", "Colour", "XL"], 8, 35),
        ], 0.04, [1.1, 0.95, 0.95, 0.9, 0.9, 0.85, 0.9, 1.4, 1.5, 0.95, 0.9, 0.85]),
        ["Pets"] = new([
            new("Pet Supplies", ["Argos Pets", "Petface", "Kong"],
                ["Dog Bed", "Cat Tree", "Pet Carrier", "Dog Toy", "Pet Feeder"], ["Small", "Medium", "Large"], 5, 27),
        ], 0.03, Flat),
    };

    // After Assortments: static initialisers run in textual order.
    public static IReadOnlyList<Category> Categories { get; } = For(ReferenceSeed.Chain);

    /// <summary>The seed's categories in key order, each with its assortment (a category the seed adds needs one here).</summary>
    internal static Category[] For(ReferenceSeed seed) => seed.Categories.OrderBy(c => c.Key).Select(WithAssortment).ToArray();

    private static Category WithAssortment(LookupSeed category) => Assortments.TryGetValue(category.Name, out var a)
        ? new Category(category.Key, category.Name, a.Subcategories, a.Share, a.MonthWeights)
        : throw new InvalidOperationException($"category '{category.Name}' is in the reference seed but has no assortment in "
            + $"ProductCatalogue");

    public IReadOnlyList<Product> Products { get; }
    public IReadOnlyList<string> CategoryNames { get; }

    /// <summary>Products of each category in popularity order (index 0 sells most).</summary>
    public IReadOnlyList<IReadOnlyList<Product>> ByCategory { get; }

    private ProductCatalogue(List<Product> products, List<List<Product>> byCategory)
    {
        Products = products;
        ByCategory = byCategory;
        CategoryNames = Categories.Select(c => c.Name).ToArray();
    }

    /// <summary>Builds the catalogue; the same seed gives the same SKUs, names, prices and popularity order.</summary>
    public static ProductCatalogue Build(ulong seed)
    {
        var products = new List<Product>();
        var byCategory = new List<List<Product>>();
        var rng = Generation.Prng.For(seed, stream: 7001);
        var key = 0;
        for (var c = 0; c < Categories.Count; c++)
        {
            var category = Categories[c];
            var inCategory = new List<Product>();
            for (var s = 0; s < category.Subcategories.Count; s++)
            {
                var sub = category.Subcategories[s];
                foreach (var brand in sub.Brands)
                {
                    foreach (var item in sub.Items)
                    {
                        foreach (var variant in sub.Variants)
                        {
                            // Not every brand makes every item in every variant: keep about two thirds.
                            if (rng.NextDouble() < 0.35)
                            {
                                continue;
                            }
                            // Band position follows the item's place in the list, so e.g. 65in TVs cost more than 32in ones.
                            var itemIndex = Array.IndexOf(sub.Items, item);
                            var span = sub.MaxPriceStep - sub.MinPriceStep;
                            var centre = sub.MinPriceStep + (span * (itemIndex + 1) / (sub.Items.Length + 1));
                            var step = Math.Clamp(centre + rng.Next(-2, 3), sub.MinPriceStep, sub.MaxPriceStep);
                            key++;
                            var sku = $"{(category.Key * 100) + s + 1:000}/{key:0000}";
                            var product = new Product(key, sku, $"{brand} {item} {variant}", category.Name, sub.Name, brand,
                                PriceLadder[step]);
                            products.Add(product);
                            inCategory.Add(product);
                        }
                    }
                }
            }
            // Popularity rank within the category: a seeded shuffle, cheaper items nudged forward.
            var ranked = inCategory
                .Select(p => (p, score: rng.NextDouble() * (1.0 + (3000.0 / (p.PricePence + 3000.0)))))
                .OrderByDescending(x => x.score)
                .ThenBy(x => x.p.Key)
                .Select(x => x.p)
                .ToList();
            byCategory.Add(ranked);
        }
        return new ProductCatalogue(products, byCategory);
    }
}
