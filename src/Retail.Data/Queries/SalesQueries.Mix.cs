namespace Retail.Data.Queries;

/// <summary>The channel, payment and loyalty mix (issue #12), over the mix rollups' month, week and fine layers.</summary>
public sealed partial class SalesQueries
{
    private static readonly string MixSql = QueryText("mix");

    public async Task<SalesMix> GetMixAsync(SalesFilter f, CancellationToken ct)
    {
        var plan = (await CurrentAsync(ct)).Plan(f.From, f.To);
        await using var cmd = db.CreateCommand(Fill(MixSql, plan, f));
        AddParameters(cmd.Parameters, f, plan);
        var channels = new List<MixPart>();
        var payments = new List<MixPart>();
        var loyalty = new List<MixPart>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var part = new MixPart(r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
            (r.GetString(0) switch
            {
                "channel" => channels,
                "payment" => payments,
                "loyalty" => loyalty,
                var other => throw new InvalidOperationException($"mix.sql returned an unknown part '{other}'"),
            }).Add(part);
        }
        return new SalesMix(channels, payments, loyalty);
    }
}
