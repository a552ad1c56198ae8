namespace Retail.Data.Configuration;

/// <summary>
/// Environment variables that hold secrets (DB_PASSWORD, the dashboard's credentials, PGPASSWORD, ...). A child process
/// gets none of them unless it is handed one on purpose (psql's PGPASSWORD): .env is loaded into this process's
/// environment, and a child such as the embedded postmaster would otherwise keep them readable for its lifetime.
/// </summary>
public static class SecretVariables
{
    public static bool IsSecret(string name) =>
        name.EndsWith("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("TOKEN", StringComparison.OrdinalIgnoreCase) || name.Equals("PGPASSFILE", StringComparison.OrdinalIgnoreCase);

    public static void RemoveFrom(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsSecret).ToList())
        {
            environment.Remove(name);
        }
    }
}
