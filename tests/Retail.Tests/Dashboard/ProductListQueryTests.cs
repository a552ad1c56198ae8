using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Tests.Dashboard;

public sealed class ProductListQueryTests
{
    private static ProductListQuery Parse(string query) => ProductListQuery.Parse($"http://127.0.0.1/products?{query}");

    // Records compare their Problems list by reference: compare what the list is.
    private static (string?, ProductSort, bool, int) Key(ProductListQuery q) => (q.Search, q.Sort, q.Descending, q.Page);

    [Fact]
    public void The_defaults_are_best_sellers_first_page_one_and_write_nothing()
    {
        var q = Parse("preset=30d");
        Assert.Equal(Key(ProductListQuery.Default), Key(q));
        Assert.Empty(q.Problems);
        Assert.Equal("", q.ToQueryPart());
        Assert.Equal(new ProductListRequest(null, ProductSort.Revenue, true, 0, ProductListQuery.PageSize), q.ToRequest());
    }

    [Theory]
    [InlineData("q=lamp&sort=units&dir=asc&page=3", "&q=lamp&sort=units&dir=asc&page=3")]
    [InlineData("sort=name", "&sort=name")]
    [InlineData("sort=name&dir=desc", "&sort=name&dir=desc")]
    [InlineData("sort=revenue&dir=asc", "&dir=asc")]
    [InlineData("q=801%2F0830", "&q=801%2F0830")]
    public void A_list_round_trips_through_the_url(string query, string part)
    {
        var q = Parse(query);
        Assert.Empty(q.Problems);
        Assert.Equal(part, q.ToQueryPart());
        Assert.Equal(Key(q), Key(Parse(part.TrimStart('&'))));
    }

    [Theory]
    [InlineData("sort=2", "sort:")]
    [InlineData("sort=0,1", "sort:")]
    [InlineData("dir=up", "dir:")]
    [InlineData("page=0", "page:")]
    [InlineData("page=-1", "page:")]
    [InlineData("page=99999999999", "page:")]
    public void Bad_values_fall_back_to_the_defaults_and_say_which(string query, string problem)
    {
        var q = Parse(query);
        Assert.Equal(Key(ProductListQuery.Default), Key(q));
        Assert.StartsWith(problem, Assert.Single(q.Problems));
    }

    [Fact]
    public void A_search_longer_than_a_name_is_cut_and_said_so()
    {
        var q = Parse("q=" + new string('x', 500));
        Assert.Equal(ProductListRequest.MaxSearchLength, q.Search!.Length);
        Assert.Single(q.Problems);
        Assert.Equal((3 - 1) * ProductListQuery.PageSize, Parse("page=3").ToRequest().Offset);
    }
}
