using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Retail.Core.Catalogue;
using Retail.Core.Reference;

namespace Retail.UnitTests.Core;

public sealed class ReferenceSeedTests
{
    private static readonly ReferenceSeed Chain = ReferenceSeed.Chain;

    [Fact]
    public void The_shipped_seed_is_consistent() => Assert.Null(Chain.Problem());

    /// <summary>Warehouses record the version they applied: changing the seed without bumping it would hide the change.</summary>
    [Fact]
    public void The_seeds_content_is_pinned_to_its_version()
    {
        var json = JsonSerializer.Serialize(Chain with { Version = 0 });
        var content = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        Assert.True(
            (Chain.Version, content) == (1, "bfc74d3916126e35dc4e6049bed84c14d286eff9caaabc1c74890ff806314095"),
            $"the reference seed changed (content {content}): bump ReferenceSeed.Chain's Version and pin the new pair here");
    }

    [Theory]
    [InlineData("store", "reference seed v1: two stores share key 1")]
    [InlineData("code", "reference seed v1: store 'HEN' is listed twice")]
    [InlineData("zero", "reference seed v1: channel 'in_store' has key 0; keys start at 1")]
    public void A_broken_seed_says_what_is_wrong(string fault, string problem)
    {
        var broken = fault switch
        {
            "store" => Chain with { Stores = [.. Chain.Stores, Chain.Stores[0] with { Code = "NEW" }] },
            "code" => Chain with { Stores = [.. Chain.Stores, Chain.Stores[0] with { Key = 99 }] },
            _ => Chain with { Channels = [.. Chain.Channels.Select(c => c with { Key = (short)(c.Key - 1) })] },
        };
        Assert.Equal(problem, broken.Problem());
    }

    [Fact]
    public void The_generator_draws_the_seeds_members_with_the_seeds_keys()
    {
        Assert.Equal(
            Chain.Stores.Select(s => (s.Key, s.Code, s.Name, s.OpenedOn)),
            StoreCatalogue.All.Select(s => (s.Key, s.Code, s.Name, s.OpenedOn)));
        Assert.Equal(Chain.Categories.Select(c => (c.Key, c.Name)), ProductCatalogue.Categories.Select(c => (c.Key, c.Name)));
        Assert.Equal(Chain.PaymentMethods.Select(p => p.Name), Retail.Core.Formats.SalesCsv.PaymentMethods);
        Assert.Equal(Chain.Channels.Select(c => c.Name), Retail.Core.Formats.SalesCsv.Channels);
    }

    [Fact]
    public void A_seed_member_without_generator_attributes_is_named()
    {
        var muswellHill = new StoreSeed(17, "MUS", "Argos Muswell Hill", "Muswell Hill", "N10 3TD", "Local", new DateOnly(2027, 3, 1));
        var store = Chain with { Stores = [.. Chain.Stores, muswellHill] };
        Assert.Contains("store 'MUS'", Assert.Throws<InvalidOperationException>(() => StoreCatalogue.For(store)).Message);
        var category = Chain with { Categories = [.. Chain.Categories, new LookupSeed(11, "Garden Furniture")] };
        Assert.Contains("category 'Garden Furniture'",
            Assert.Throws<InvalidOperationException>(() => ProductCatalogue.For(category)).Message);
    }
}
