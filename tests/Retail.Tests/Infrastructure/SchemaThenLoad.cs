using Npgsql;
using Retail.Data.Loading;
using Retail.Data.Warehouse;

namespace Retail.Tests.Infrastructure;

public static class SchemaThenLoad
{
    /// <summary>As `retail load` does: the schema step, then the files and folders at <paramref name="path"/>.</summary>
    public static async Task<LoadReport> LoadAsync(NpgsqlDataSource db, string path, LoadOptions? options = null)
    {
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        return await new WarehouseLoader(db, TimeProvider.System)
            .LoadAsync(WarehouseLoader.ResolveFiles([path]), options ?? new LoadOptions(), null, CancellationToken.None);
    }
}
