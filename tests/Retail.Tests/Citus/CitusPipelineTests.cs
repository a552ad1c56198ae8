using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>The daily pipeline and the checks, as a user runs them (the real CLI), against the cluster.</summary>
[Collection(CitusCollection.Name)]
public sealed class CitusPipelineTests(CitusFixture citus)
{
    [CitusFact]
    public async Task Run_for_a_date_twice_is_idempotent_and_check_passes()
    {
        var settings = await citus.CreateDatabaseAsync("crun");
        using var dir = new TempDir();
        var env = CliProcess.Env(settings);
        var first = await CliProcess.RunAsync(dir.Path, env, "run", "--date", "2025-06-02", "--rows-per-day", "3000");
        Assert.True(first.ExitCode == 0, first.All);
        await using var db = citus.Endpoint(settings).CreateDataSource();
        var facts = await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales");
        Assert.True(facts > 2_500, $"{facts} facts");
        Assert.True(await db.ScalarAsync<bool>("SELECT bool_and(published) FROM ops.load_batches WHERE status = 'loaded'"));

        var second = await CliProcess.RunAsync(dir.Path, env, "run", "--date", "2025-06-02", "--rows-per-day", "3000");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("nothing to do", second.Stdout);
        Assert.Equal(facts, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.pipeline_runs WHERE status = 'succeeded'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'loaded'"));

        var check = await CliProcess.RunAsync(dir.Path, env, "check", "--date", "2025-06-02");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.DoesNotContain("FAIL", check.Stdout);
    }
}
