using Retail.Core.Generation;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>
/// `retail rollups rebuild --from-facts` on a real Citus coordinator + 2 workers: every fine rollup, its all-store
/// rows included, re-derived from the distributed facts, equals what the loader wrote and passes rollups_match_facts.
/// </summary>
[Collection(CitusCollection.Name)]
public sealed class CitusRederiveTests(CitusFixture citus)
{
    [CitusFact]
    public async Task Rollups_rebuilt_from_the_facts_on_Citus_equal_the_loaders()
    {
        using var dir = new TempDir();
        var (from, to) = (new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28));
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(4_000, 7, from, to)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var settings = await citus.CreateDatabaseAsync("rederive");
        await using var db = citus.Endpoint(settings).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(db, dir.Path)).Succeeded);
        var all = new SalesFilter(from, to, [], []);
        var q = new SalesQueries(db);
        var before = await q.GetKpisAsync(all, false, CancellationToken.None);
        var products = await q.GetTopProductsAsync(all, TopBy.Revenue, 10, CancellationToken.None);

        using var home = new TempDir();
        var run = await CliProcess.RunAsync(home.Path, CliProcess.Env(settings), "rollups", "rebuild", "--from-facts");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, from, to, CancellationToken.None));
        Assert.Equal(before, await q.GetKpisAsync(all, false, CancellationToken.None));
        Assert.Equal(products, await q.GetTopProductsAsync(all, TopBy.Revenue, 10, CancellationToken.None));
    }
}
