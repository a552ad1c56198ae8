using Retail.Data.Configuration;

namespace Retail.UnitTests.Configuration;

public sealed class DatabaseSettingsTests
{
    private static DatabaseSettings From(params (string Key, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Key, v => v.Value);
        return DatabaseSettings.FromVariables(k => map.GetValueOrDefault(k), "/work/here");
    }

    [Fact]
    public void Defaults_are_the_embedded_cluster_under_the_working_directory()
    {
        var s = From();
        Assert.True(s.IsEmbedded);
        Assert.Equal(("retail", "postgres", "retail_dashboard"), (s.Name, s.User, s.DashboardUser));
        Assert.Equal("/work/here/.retail", s.RetailHome);
    }

    [Theory]
    [InlineData("DB_PORT", "54x2", "DB_PORT='54x2' is not a TCP port: set it to a number from 1 to 65535 (in .env or the environment), or "
        + "remove it to use the default.")]
    [InlineData("DB_PORT", "70000", "DB_PORT='70000' is not a TCP port: set it to a number from 1 to 65535 (in .env or the environment), "
        + "or remove it to use the default.")]
    [InlineData("DB_NAME", "retail;drop",
        "DB_NAME='retail;drop' is not a usable database name: use letters, digits and underscores, starting with a letter.")]
    [InlineData("DB_USER", "1user",
        "DB_USER='1user' is not a usable role name: use letters, digits and underscores, starting with a letter.")]
    [InlineData("DASHBOARD_DB_USER", "POSTGRES", "DASHBOARD_DB_USER='POSTGRES' is not usable: give the dashboard its own read-only role "
        + "name (letters, digits, underscores; not DB_USER), or remove it to use 'retail_dashboard'.")]
    [InlineData("CITUS_SHARD_COUNT", "0",
        "CITUS_SHARD_COUNT='0' is not a shard count: set it to a number from 1 to 1024, or remove it to use 2 shards per worker.")]
    public void A_bad_setting_is_named_with_how_to_fix_it(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<SettingsException>(() => From((key, value))).Message);

    [Fact]
    public void Passwords_never_reach_text()
    {
        var s = From(("DB_PASSWORD", "s3cret!"), ("DASHBOARD_DB_PASSWORD", "dash-pw"), ("DB_HOST", "db.example"));
        Assert.DoesNotContain("s3cret!", s.ToString());
        Assert.DoesNotContain("dash-pw", s.ToString());
        Assert.Equal("login failed for *** and ***", s.Redact("login failed for s3cret! and dash-pw"));
        Assert.DoesNotContain("s3cret", DatabaseSettings.Url(s.User, "db.example", 5432, s.Name));
        Assert.Contains("Password=s3cret!", s.ConnectionString("db.example", 5432));
    }
}
