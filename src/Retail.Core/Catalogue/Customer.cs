using Bogus;

namespace Retail.Core.Catalogue;

/// <summary>A loyalty-card holder. Key 0 is reserved for anonymous receipts.</summary>
public sealed record Customer(int Key, string Id, string Name, string Email, string Postcode, short HomeStore, double VisitWeight);

/// <summary>
/// The loyalty customer pool, built once with Bogus (en_GB) from the seed. Fact rows only pick from it,
/// so Faker never runs per row.
/// </summary>
public sealed class CustomerPool
{
    public const int DefaultSize = 40_000;

    public IReadOnlyList<Customer> Customers { get; }

    private CustomerPool(IReadOnlyList<Customer> customers) => Customers = customers;

    public static CustomerPool Build(ulong seed, int size = DefaultSize)
    {
        var stores = StoreCatalogue.All;
        // Bogus takes its randomness from an instance Randomizer here, never the static global seed.
        var faker = new Faker("en_GB") { Random = new Randomizer((int)(seed % int.MaxValue)) };
        var rng = Generation.Prng.For(seed, stream: 9001);
        var storeWeights = new Generation.WeightedPicker(stores.Select(s => s.Traffic).ToArray());
        var list = new Customer[size];
        for (var i = 0; i < size; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var home = stores[storeWeights.Pick(ref rng)];
            // Visit frequency is heavy-tailed: a few regulars, many occasional shoppers.
            var u = rng.NextDouble();
            var visits = 0.2 + (4.0 * u * u * u * u);
            list[i] = new Customer(
                i + 1,
                $"C{i + 1:0000000}",
                $"{first} {last}",
                faker.Internet.Email(first, last, "example.co.uk"),
                faker.Address.ZipCode(),
                home.Key,
                visits);
        }
        return new CustomerPool(list);
    }
}
