using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Retail.Core.Catalogue;

namespace Retail.Data.Warehouse;

/// <summary>marts.dim_date: one row per day of the calendar, written once by binary COPY into an empty table.</summary>
internal static class CalendarDimension
{
    public static async Task FillAsync(NpgsqlConnection conn, DateOnly start, DateOnly end, CancellationToken ct)
    {
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM marts.dim_date)", conn))
        {
            if ((bool)(await any.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }
        await using var import = await conn.BeginBinaryImportAsync(
            "COPY marts.dim_date (date_key, year, quarter, month, month_name, day_of_month, iso_day_of_week, day_name, "
            + "iso_week, iso_year, is_weekend, is_uk_bank_holiday, same_day_last_year) FROM STDIN (FORMAT BINARY)", ct);
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            var dt = d.ToDateTime(TimeOnly.MinValue);
            await import.StartRowAsync(ct);
            await import.WriteAsync(d, NpgsqlDbType.Date, ct);
            await import.WriteAsync((short)d.Year, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)(((d.Month - 1) / 3) + 1), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)d.Month, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(dt.ToString("MMMM", CultureInfo.InvariantCulture), NpgsqlDbType.Text, ct);
            await import.WriteAsync((short)d.Day, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)(d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(d.DayOfWeek.ToString(), NpgsqlDbType.Text, ct);
            await import.WriteAsync((short)ISOWeek.GetWeekOfYear(dt), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)ISOWeek.GetYear(dt), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, NpgsqlDbType.Boolean, ct);
            await import.WriteAsync(UkCalendar.IsBankHoliday(d), NpgsqlDbType.Boolean, ct);
            // Same weekday a year earlier (364 days), which is how retailers compare like for like.
            await import.WriteAsync(d.AddDays(-364), NpgsqlDbType.Date, ct);
        }
        await import.CompleteAsync(ct);
    }

}
