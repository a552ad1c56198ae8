using System.CommandLine;
using Retail.Data.Loading;
using Retail.Data.Rollups;

namespace Retail.Cli.Commands;

/// <summary>
/// retail rollups rebuild — the month rollups the dashboard reads, rebuilt for every month (one transaction each),
/// and with --from-facts the per-batch fine rollups re-derived from fct_sales first (for a warehouse loaded before
/// the rollups gained their measures and customer sketches). --from-facts --only mix re-derives the channel, payment
/// and loyalty mix alone: a warehouse migrated across the mix's migrations (marts/122, 127) gets it without a full
/// re-derivation.
/// Set-based SQL; prints a line per month.
/// </summary>
internal static class RollupsCommand
{
    public static Command Create(CliContext ctx)
    {
        var fromFacts = new Option<bool>("--from-facts") { Description = "re-derive the per-batch fine rollups from fct_sales first "
            + "(after an upgrade that added rollup columns; scans every fact once)" };
        var only = new Option<string?>("--only")
        {
            Description = "with --from-facts: re-derive only this rollup from the facts: mix (the channel, payment and loyalty "
                + "mix, empty or without its loyalty part in a warehouse upgraded across its migrations; about half the time "
                + "of a full --from-facts)",
        };
        only.AcceptOnlyFromAmong("mix");
        var rebuild = new Command("rebuild", "Rebuild the month and week rollups of every month (and with --from-facts the fine "
            + "rollups from the facts). The dashboard stays exact meanwhile.") { fromFacts, only };
        rebuild.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var derive = parse.GetValue(fromFacts);
            var onlyMix = parse.GetValue(only) is not null;
            if (onlyMix && !derive)
            {
                throw new UsageException("--only mix re-derives the mix from the facts: add --from-facts "
                    + "(retail rollups rebuild --from-facts --only mix).");
            }
            var started = ctx.Clock.GetTimestamp();
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail rollups");
            // Months with loaded facts, and any month whose month rollups are stale (e.g. left over from unpublished batches).
            var months = (await PeriodRollups.FactMonthsAsync(db, ct)).Union(await PeriodRollups.StaleMonthsAsync(db, ct)).Order().ToList();
            var i = 0;
            foreach (var month in months)
            {
                var monthStarted = ctx.Clock.GetTimestamp();
                if (onlyMix)
                {
                    await MixRollups.RederiveFromFactsAsync(db, month, ct);
                }
                else if (derive)
                {
                    await PeriodRollups.RederiveFromFactsAsync(db, month, ct);
                }
                else
                {
                    await PeriodRollups.RebuildWithWeeksAsync(db, month, ct);
                }
                var what = onlyMix ? "mix re-derived from the facts and rebuilt"
                    : derive ? "re-derived from the facts and rebuilt" : "rebuilt";
                await ctx.Out.WriteLineAsync($"rollups: {month:yyyy-MM} {what} ({++i} of {months.Count}) in {ctx.Elapsed(monthStarted)}");
            }
            if (derive)
            {
                var firstStarted = ctx.Clock.GetTimestamp();
                await FirstPurchases.RederiveAsync(db, ct);
                await ctx.Out.WriteLineAsync($"rollups: first purchases (new customers) re-derived from the facts in "
                    + $"{ctx.Elapsed(firstStarted)}");
            }
            // Anything still stale (e.g. a week left over from batches no longer published).
            await PeriodRollups.RebuildStaleAsync(db, ct);
            await ctx.Out.WriteLineAsync($"rollups: {months.Count} month(s) rebuilt, with their weeks, in {ctx.Elapsed(started)}");
            return RetailCli.Ok;
        }));
        var cmd = new Command("rollups", "Maintain the dashboard's rollups.") { rebuild };
        return cmd;
    }
}
