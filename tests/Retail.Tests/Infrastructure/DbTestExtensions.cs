using System.Globalization;
using Npgsql;

namespace Retail.Tests.Infrastructure;

public static class DbTestExtensions
{
    /// <summary>The first column of the first row, converted (sum() of bigint arrives as numeric).</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync();
        return value is T t ? t : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }
}
