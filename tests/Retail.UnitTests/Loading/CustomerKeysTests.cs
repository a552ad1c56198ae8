using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>The loader's customer keys stay compact: ids of the generator's shape packed, others kept as text.</summary>
public sealed class CustomerKeysTests
{
    [Theory]
    [InlineData("C1", "C01")]
    [InlineData("C1", "1")]
    [InlineData("C1", "D1")]
    [InlineData("123456789012345", "A123456789012345")]
    [InlineData("0", "00")]
    public void Packed_ids_never_collide(string a, string b)
    {
        Assert.True(CustomerKeys.TryPack(a, out var pa));
        Assert.True(CustomerKeys.TryPack(b, out var pb));
        Assert.NotEqual(pa, pb);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c1")]
    [InlineData("C1x")]
    [InlineData("CC1")]
    [InlineData("1234567890123456")]
    [InlineData("C-1")]
    public void Other_ids_are_kept_as_text_and_still_found(string id)
    {
        Assert.False(CustomerKeys.TryPack(id, out _));
        var keys = new CustomerKeys();
        keys.Set(id, 7);
        keys.Set("C" + id.Length, 8);
        Assert.True(keys.TryGet(id, out var k) && k == 7);
        Assert.True(keys.TryGet("C" + id.Length, out var k2) && k2 == 8);
        Assert.False(keys.TryGet("C999999", out _));
    }
}
