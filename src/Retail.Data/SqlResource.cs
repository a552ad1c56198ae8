namespace Retail.Data;

/// <summary>SQL kept in .sql files beside the code that runs it, embedded in this assembly (see Retail.Data.csproj).</summary>
internal static class SqlResource
{
    /// <summary>e.g. "runs/history.sql"; a missing file is a build mistake, so it throws at first use.</summary>
    public static string Read(string name)
    {
        using var s = typeof(SqlResource).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded SQL '{name}' is missing from Retail.Data");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
