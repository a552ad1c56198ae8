using Retail.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Retail.Tests.Operations;

/// <summary>
/// The Docker files, checked as far as a machine without a Docker engine allows: the compose file against the compose
/// specification's schema (dclint, pinned in tools/compose-lint), and what the services and the image must get right.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerFilesTests
{
    private static readonly string Compose = Path.Combine(Shell.RepoRoot, "docker-compose.yml");

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Compose);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string[] Seq(YamlNode node,
        string key) => ((YamlSequenceNode)((YamlMappingNode)node)[key]).Select(n => ((YamlScalarNode)n).Value!).ToArray();

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    [Fact]
    public async Task Compose_file_passes_dclint_and_its_compose_schema_and_dclint_does_catch_a_broken_one()
    {
        using var dir = new TempDir();
        foreach (var f in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(Shell.RepoRoot, "tools", "compose-lint", f), Path.Combine(dir.Path, f));
        }
        var install = await Shell.RunAsync(dir.Path, new Dictionary<string, string?>(), "npm", "ci", "--no-audit", "--no-fund");
        Assert.True(install.ExitCode == 0, $"npm ci of the pinned dclint failed (needs the npm registry): {install.All}");
        var dclint = Path.Combine(dir.Path, "node_modules", ".bin", "dclint");

        var lint = await Shell.RunAsync(Shell.RepoRoot, new Dictionary<string, string?>(), dclint, Compose);
        Assert.True(lint.ExitCode == 0, lint.All);
        Assert.DoesNotContain("error", lint.All);
        Assert.DoesNotContain("warning", lint.All);

        // The validator validates: an unknown key in a service fails the schema.
        var broken = Path.Combine(dir.Path, "docker-compose.yml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Compose)).Replace("    restart: unless-stopped\n    "
            + "healthcheck:\n      test: [\"CMD\", \"curl\", \"-fsS\", \"-o\", \"/dev/null\", \"http://127.0.0.1:8501/health\"]",
            "    restart: unless-stopped\n    healthchek:\n      test: [\"CMD\", \"curl\", \"-fsS\", \"-o\", \"/dev/null\", "
                + "\"http://127.0.0.1:8501/health\"]", StringComparison.Ordinal));
        var bad = await Shell.RunAsync(dir.Path, new Dictionary<string, string?>(), dclint, broken);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("invalid-schema", bad.All);
    }

    [Fact]
    public void Compose_services_ports_health_checks_and_environment()
    {
        var services = Map(Load(), "services");
        // The default stack; services behind a profile (citus) start only when asked for.
        var always = services.Children
            .Where(kv => !((YamlMappingNode)kv.Value).Children.ContainsKey(new YamlScalarNode("profiles")))
            .Select(kv => ((YamlScalarNode)kv.Key).Value!);
        Assert.Equal(["dashboard", "db", "pipeline"], always.Order().ToArray());

        var db = services["db"];
        // postgres:15 with the hll extension, built from docker/db.
        Assert.Equal("docker/db", Scalar(db, "build"));
        Assert.Contains(File.ReadAllLines(Path.Combine(Shell.RepoRoot, "docker/db/Dockerfile")),
            l => l.StartsWith("FROM postgres:15", StringComparison.Ordinal));
        Assert.Contains("postgresql-15-hll", File.ReadAllText(Path.Combine(Shell.RepoRoot, "docker/db/Dockerfile")),
            StringComparison.Ordinal);
        Assert.Contains("pg_isready", string.Join(' ', Seq(Map(db, "healthcheck"), "test")));
        Assert.Equal("${DB_PASSWORD:?set DB_PASSWORD in .env}", Scalar(Map(db, "environment"), "POSTGRES_PASSWORD"));
        Assert.All(Seq(db, "ports"), p => Assert.StartsWith("127.0.0.1:", p));

        foreach (var name in new[] { "dashboard", "pipeline" })
        {
            var s = services[name];
            Assert.Equal(".", Scalar(s, "build"));
            Assert.Equal(".env", Scalar(s, "env_file"));
            Assert.Equal("db", Scalar(Map(s, "environment"), "DB_HOST"));
            Assert.Equal("service_healthy", Scalar(Map(Map(s, "depends_on"), "db"), "condition"));
            Assert.False(Map(s, "environment").Children.ContainsKey(new YamlScalarNode("DB_PASSWORD")),
                "the password comes from .env only");
            var health = Map(s, "healthcheck");
            Assert.Equal("CMD", Seq(health, "test")[0]);
            foreach (var key in new[] { "interval", "timeout", "retries", "start_period" })
            {
                Assert.True(health.Children.ContainsKey(new YamlScalarNode(key)), $"{name} healthcheck lacks {key}");
            }
        }

        var dashboard = services["dashboard"];
        Assert.Equal(["dashboard", "--urls", "http://0.0.0.0:8501"], Seq(dashboard, "command"));
        Assert.Equal(["127.0.0.1:8501:8501"], Seq(dashboard, "ports"));
        Assert.Equal("http://127.0.0.1:8501/health", Seq(Map(dashboard, "healthcheck"), "test")[^1]);

        var pipeline = services["pipeline"];
        var command = Seq(pipeline, "command");
        Assert.Equal("schedule", command[0]);
        Assert.Equal("9464", command[Array.IndexOf(command, "--metrics-port") + 1]);
        Assert.Equal("0.0.0.0", command[Array.IndexOf(command, "--metrics-host") + 1]);
        Assert.Equal(["9464"], Seq(pipeline, "expose"));
        Assert.Equal("http://127.0.0.1:9464/metrics", Seq(Map(pipeline, "healthcheck"), "test")[^1]);

        // Every named volume a service mounts is declared.
        var declared = Map(Load(), "volumes").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        foreach (var (_, s) in services.Children)
        {
            if (((YamlMappingNode)s).Children.ContainsKey(new YamlScalarNode("volumes")))
            {
                Assert.All(Seq(s, "volumes"), v => Assert.Contains(v.Split(':')[0], declared));
            }
        }
    }

    [Fact]
    public void Image_runs_as_a_non_root_user_and_carries_what_the_health_checks_and_backups_need()
    {
        var lines = File.ReadAllLines(Path.Combine(Shell.RepoRoot, "Dockerfile"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        // Instructions of the final stage (after the last FROM), continuation lines joined.
        var final = string.Join('\n',
            lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal)))).Replace("\\\n", " ",
            StringComparison.Ordinal).Split('\n');
        var user = final.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        var entry = Array.FindIndex(final, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.True(Array.FindLastIndex(final, l => l.StartsWith("USER ", StringComparison.Ordinal)) < entry,
            "USER must come before ENTRYPOINT");
        var install = final.Single(l => l.Contains("apt-get install", StringComparison.Ordinal));
        foreach (var package in new[] { "curl", "postgresql-client", "tzdata" })
        {
            Assert.Contains(package, install);
        }
        Assert.Contains("EXPOSE 8501 9464", final);
        // What the build stage copies exists, and secrets stay out of the build context.
        foreach (var copied in new[] { "Directory.Build.props", "Directory.Packages.props", "Retail.slnx", "src" })
        {
            Assert.True(Path.Exists(Path.Combine(Shell.RepoRoot, copied)), copied);
        }
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(Shell.RepoRoot, ".dockerignore")));
    }
}
