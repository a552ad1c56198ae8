using System.Net;
using System.Security.Cryptography;
using System.Text;
using Retail.Data.Configuration;

namespace Retail.Dashboard;

/// <summary>The login the dashboard asks for when it listens beyond loopback (DASHBOARD_USER / DASHBOARD_PASSWORD).</summary>
public sealed class DashboardCredentials(string user, string password)
{
    private readonly byte[] _user = Hash(user);
    private readonly byte[] _password = Hash(password);

    public string User { get; } = user;

    /// <summary>Constant-time: comparing fixed-length hashes leaks neither where nor whether the lengths differ.</summary>
    public bool Matches(string? user, string? password) =>
        CryptographicOperations.FixedTimeEquals(Hash(user), _user) & CryptographicOperations.FixedTimeEquals(Hash(password), _password);

    private static byte[] Hash(string? value) => SHA256.HashData(Encoding.UTF8.GetBytes(value ?? ""));

    public override string ToString() => $"{User} (password hidden)";
}

/// <summary>Who may see the dashboard: decided once at start from where it listens, the credentials and --no-auth.</summary>
public sealed record DashboardAccess(bool RequiresLogin, DashboardCredentials? Credentials, bool Exposed)
{
    public const string UserVariable = "DASHBOARD_USER";
    public const string PasswordVariable = "DASHBOARD_PASSWORD";

    public static DashboardAccess Open { get; } = new(false, null, false);

    /// <summary>
    /// Loopback stays open; any other address needs credentials, unless the operator opted out with --no-auth.
    /// Exposed without credentials and without the opt-out is a settings error: the dashboard does not start.
    /// </summary>
    public static DashboardAccess Resolve(string urls, Func<string, string?> variable, bool noAuth)
    {
        var exposed = !IsLoopbackOnly(urls);
        if (!exposed || noAuth)
        {
            return new DashboardAccess(false, null, exposed);
        }
        var user = variable(UserVariable);
        var password = variable(PasswordVariable);
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
        {
            throw new SettingsException(
                $"the dashboard would listen beyond loopback ({urls}) without a login: set {UserVariable} and {PasswordVariable} (in .env "
                    + $"or the environment), or pass --no-auth to serve it to the network unprotected.");
        }
        return new DashboardAccess(true, new DashboardCredentials(user.Trim(), password), exposed);
    }

    /// <summary>True when every URL binds a loopback address or localhost; 0.0.0.0, *, + and other hosts are exposed.</summary>
    public static bool IsLoopbackOnly(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards are not valid URI hosts; anything that does not parse counts as exposed.
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0",
                StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return false;
            }
            var host = uri.Host.Trim('[', ']');
            var loopback = string.Equals(host, "localhost",
                StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return false;
            }
        }
        return true;
    }
}
