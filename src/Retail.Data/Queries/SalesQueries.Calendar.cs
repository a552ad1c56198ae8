using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>Calendar facts for the charts, from marts.dim_date.</summary>
public sealed partial class SalesQueries
{
    private static readonly string DayMarkersSql = Warehouse.WarehouseSchema.Resource("queries/day_markers.sql");

    /// <summary>UK bank holidays and Black Friday in [from, to].</summary>
    public async Task<IReadOnlyList<DayMarker>> GetDayMarkersAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(DayMarkersSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        var list = new List<DayMarker>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DayMarker(r.GetFieldValue<DateOnly>(0), r.GetString(1)));
        }
        return list;
    }
}
