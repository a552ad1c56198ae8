using Retail.Data.Configuration;
using Retail.Data.Embedded;

namespace Retail.Cli;

/// <summary>
/// What a command needs from the machine, checked before it does any work, so a missing tool stops it with one
/// line before it has generated or written anything (./retail installs these itself when run as root).
/// </summary>
internal static class Prerequisites
{
    /// <summary>The embedded cluster needs PostgreSQL's server binaries; a configured server (DB_HOST) needs none.</summary>
    public static void RequireDatabase(DatabaseSettings settings)
    {
        if (settings.IsEmbedded)
        {
            // Throws EmbeddedClusterException naming PG_BIN and how to install the binaries.
            PostgresBinaries.Locate(settings.PgBin);
        }
    }

    /// <summary>The generator stamps UK times and the scheduler runs in a named zone: both read the tz database.</summary>
    public static void RequireTimeZone(string zone = "Europe/London")
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw new SettingsException($"the time zone '{zone}' is not known to this system (the tz database is missing): install it "
                + $"with 'apt-get install tzdata', then run again.");
        }
    }
}
