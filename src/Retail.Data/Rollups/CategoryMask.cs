namespace Retail.Data.Rollups;

/// <summary>
/// The set of categories a receipt touched, as the bits of the receipts rollup's integer column: bit k is
/// category_key k. One definition for the loader and the reader; a key that has no bit is refused, never folded
/// onto another category's bit.
/// </summary>
public static class CategoryMask
{
    /// <summary>
    /// The mix receipts rollups' total rows (marts/128): every receipt of their key, whatever its categories. No receipt's
    /// own mask is 0 (it touches at least one category), and `category_mask &amp; m &lt;&gt; 0` leaves these rows out.
    /// </summary>
    public const int Every = 0;

    /// <summary>Keys 0..31 fit the integer column.</summary>
    public const int MaxKey = 31;

    /// <summary>The bit for one category key.</summary>
    public static int Bit(short categoryKey) => (uint)categoryKey <= MaxKey
        ? 1 << categoryKey
        : throw new ArgumentOutOfRangeException(nameof(categoryKey), categoryKey,
            $"category key {categoryKey} has no bit in the receipts rollup's category mask (keys 0 to {MaxKey}): "
            + $"more than {MaxKey} categories need a wider mask column");

    /// <summary>The mask of a selection; every bit (all categories) when the selection is empty.</summary>
    public static int Of(IEnumerable<short> categoryKeys)
    {
        var mask = 0;
        var any = false;
        foreach (var k in categoryKeys)
        {
            mask |= Bit(k);
            any = true;
        }
        return any ? mask : -1;
    }

    /// <summary>The category keys whose bits are set, lowest first.</summary>
    public static IEnumerable<short> Keys(int mask)
    {
        for (var bits = (uint)mask; bits != 0; bits &= bits - 1)
        {
            yield return (short)System.Numerics.BitOperations.TrailingZeroCount(bits);
        }
    }
}
