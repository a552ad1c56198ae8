using Retail.Data.Rollups;

namespace Retail.UnitTests.Rollups;

public sealed class CategoryMaskKeysTests
{
    [Fact]
    public void A_mask_gives_back_exactly_the_keys_whose_bits_it_holds()
    {
        Assert.Empty(CategoryMask.Keys(0));
        Assert.Equal([0, 5, 31], CategoryMask.Keys(CategoryMask.Of([31, 0, 5])));
        // Every single-key mask round-trips, including the sign bit (key 31).
        for (short k = 0; k <= CategoryMask.MaxKey; k++)
        {
            Assert.Equal([k], CategoryMask.Keys(CategoryMask.Bit(k)));
        }
        Assert.Equal(32, CategoryMask.Keys(-1).Count());
    }
}
