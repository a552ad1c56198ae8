using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>A file's first purchase per customer, as the loader gathers it: the earliest line by sold_at, then store.</summary>
public sealed class FirstPurchaseAccumulatorTests
{
    private static readonly DateTime Noon = new(2025, 3, 4, 12, 0, 0, DateTimeKind.Utc);

    private static SaleRow Row(int customer, DateTime soldAt, short store) => new()
    {
        CustomerKey = customer, SoldAtUtc = soldAt, SaleDate = DateOnly.FromDateTime(soldAt), StoreKey = store,
    };

    [Fact]
    public void Keeps_each_customers_earliest_line_breaks_ties_by_store_and_skips_the_anonymous_customer()
    {
        var firsts = new FirstPurchaseAccumulator();
        firsts.Add(Row(7, Noon, 3));
        firsts.Add(Row(7, Noon.AddMinutes(-5), 9)); // earlier: wins whatever the store
        firsts.Add(Row(7, Noon.AddMinutes(-5), 4)); // same time, lower store: wins the tie
        firsts.Add(Row(7, Noon.AddMinutes(-5), 6)); // same time, higher store: loses
        firsts.Add(Row(7, Noon.AddHours(1), 1)); // later: loses
        firsts.Add(Row(2, Noon.AddDays(1), 5));
        firsts.Add(Row(0, Noon.AddDays(-1), 1)); // anonymous: never a customer

        Assert.Equal(2, firsts.Count);
        Assert.Equal(
            [(2, new FirstPurchaseAccumulator.FirstLine(Noon.AddDays(1).Ticks, new DateOnly(2025, 3, 5), 5)),
             (7, new FirstPurchaseAccumulator.FirstLine(Noon.AddMinutes(-5).Ticks, new DateOnly(2025, 3, 4), 4))],
            firsts.Sorted().ToArray());
    }

    [Fact]
    public void A_remapped_customer_keeps_its_first_line_under_the_key_that_won_the_upsert()
    {
        var firsts = new FirstPurchaseAccumulator();
        firsts.Add(Row(100, Noon, 2));
        firsts.Add(Row(5, Noon.AddHours(2), 1));
        firsts.Remap(new Dictionary<int, int> { [100] = 40 });

        Assert.Equal(new[] { 5, 40 }, firsts.Sorted().ToArray().Select(e => e.Customer));
        Assert.Equal(Noon.Ticks, firsts.Sorted().ToArray().Single(e => e.Customer == 40).Line.SoldAtTicks);
    }

    /// <summary>The sorted entries are kept in a buffer between calls: a change after a read must show in the next one.</summary>
    [Fact]
    public void The_sorted_entries_follow_every_change()
    {
        var firsts = new FirstPurchaseAccumulator();
        firsts.Add(Row(30, Noon, 1));
        firsts.Add(Row(10, Noon, 1));
        Assert.Equal(new[] { 10, 30 }, firsts.Sorted().ToArray().Select(e => e.Customer));

        firsts.Add(Row(20, Noon, 1));
        firsts.Add(Row(30, Noon.AddHours(-1), 2));
        Assert.Equal(new[] { 10, 20, 30 }, firsts.Sorted().ToArray().Select(e => e.Customer));
        Assert.Equal(2, firsts.Sorted()[2].Line.Store);

        firsts.Remap(new Dictionary<int, int> { [20] = 5 });
        Assert.Equal(new[] { 5, 10, 30 }, firsts.Sorted().ToArray().Select(e => e.Customer));
    }
}
