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

    /// <summary>Fixed chunking (not per core), so the pool is the same on any machine; chunks build in parallel.</summary>
    private const int Chunks = 4;

    public static CustomerPool Build(ulong seed, int size = DefaultSize)
    {
        var list = new Customer[size];
        var per = (size + Chunks - 1) / Chunks;
        Parallel.For(0, Chunks, chunk => BuildChunk(seed, chunk, chunk * per, Math.Min(size, (chunk + 1) * per), list));
        return new CustomerPool(list);
    }

    private static void BuildChunk(ulong seed, int chunk, int from, int to, Customer[] into)
    {
        var stores = StoreCatalogue.All;
        // Bogus takes its randomness from an instance Randomizer here, never the static global seed.
        var faker = new Faker("en_GB") { Random = new Randomizer((int)((seed + (ulong)chunk * 7919) % int.MaxValue)) };
        var rng = Generation.Prng.For(seed, stream: 9001, substream: chunk);
        var storeWeights = new Generation.WeightedPicker(stores.Select(s => s.Traffic).ToArray());
        for (var i = from; i < to; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var home = stores[storeWeights.Pick(ref rng)];
            // Visit frequency is heavy-tailed: a few regulars, many occasional shoppers.
            var u = rng.NextDouble();
            var visits = 0.2 + (4.0 * u * u * u * u);
            into[i] = new Customer(
                i + 1,
                $"C{i + 1:0000000}",
                $"{first} {last}",
                // Built from the name rather than Bogus' Internet.Email, which costs more than the rest of the pool.
                $"{first}.{last}{(i % 97) + 1}@example.co.uk".ToLowerInvariant().Replace(' ', '-').Replace("'", "", StringComparison.Ordinal),
                faker.Address.ZipCode(),
                home.Key,
                visits);
        }
    }
}
