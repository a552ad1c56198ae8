using System.Security.Cryptography;

namespace Retail.Data.Configuration;

/// <summary>
/// The dashboard's own login role and its password (null when the server trusts loopback). It is a separate
/// LOGIN role with SELECT only, so no statement the dashboard can send writes, whatever session state it resets,
/// and Citus can open connections to the workers as that role.
/// </summary>
public sealed record DashboardLogin(string User, string? Password)
{
    /// <summary>Where a generated password lives, readable by its owner only.</summary>
    public const string PasswordFileName = "dashboard.password";

    /// <summary>
    /// DASHBOARD_DB_USER / DASHBOARD_DB_PASSWORD; an embedded cluster created with DB_PASSWORD (so it asks
    /// every login for a password) gets a generated one, kept in RETAIL_HOME/dashboard.password (0600).
    /// </summary>
    public static DashboardLogin For(DatabaseSettings settings)
    {
        var password = settings.DashboardPassword;
        if (password is null && settings.IsEmbedded && settings.Password is not null)
        {
            password = ReadOrCreateSecret(Path.Combine(settings.RetailHome, PasswordFileName));
        }
        return new DashboardLogin(settings.DashboardUser, password);
    }

    public override string ToString() => $"DashboardLogin {{ User = {User}, Password = {(Password is null ? "(none)" : "***")} }}";

    private static string ReadOrCreateSecret(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // 32 random bytes, URL-safe base64: 256 bits, no characters that need quoting anywhere.
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created 0600 from the first byte, never readable by others even briefly.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var w = new StreamWriter(new FileStream(tmp, options)))
            {
                w.Write(secret);
            }
            try
            {
                // Two processes racing: the first rename wins and both read the winner's secret.
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(tmp);
            }
        }
        var text = File.ReadAllText(path).Trim();
        return text.Length >= 16
            ? text
            : throw new SettingsException($"{path} does not hold a usable dashboard password: delete it and run the command again (a new "
                + $"one is generated), or set DASHBOARD_DB_PASSWORD.");
    }
}
