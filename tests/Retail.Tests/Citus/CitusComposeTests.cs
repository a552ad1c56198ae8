using Retail.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Retail.Tests.Citus;

/// <summary>
/// The compose profile citus, checked as far as a machine without a Docker engine allows (dclint runs in
/// DockerFilesTests).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CitusComposeTests
{
    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Shell.RepoRoot, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string[] Seq(YamlNode node,
        string key) => ((YamlSequenceNode)((YamlMappingNode)node)[key]).Select(n => ((YamlScalarNode)n).Value!).ToArray();

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    [Fact]
    public void The_citus_profile_runs_a_coordinator_two_workers_and_retail_against_the_coordinator()
    {
        var services = Services();
        var citus = services.Children.Where(kv => ((YamlMappingNode)kv.Value).Children.ContainsKey(new YamlScalarNode("profiles")))
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (YamlMappingNode)kv.Value);
        Assert.Equal(["citus-coordinator", "citus-setup", "citus-worker-1", "citus-worker-2", "dashboard-citus", "pipeline-citus"],
            citus.Keys.Order().ToArray());
        Assert.All(citus.Values, s => Assert.Equal(["citus"], Seq(s, "profiles")));
        foreach (var node in new[] { "citus-coordinator", "citus-worker-1", "citus-worker-2", "citus-setup" })
        {
            Assert.StartsWith("citusdata/citus:", Scalar(citus[node], "image"));
        }
        // Only the coordinator is published, on loopback; the workers trust only their own network.
        Assert.All(Seq(citus["citus-coordinator"], "ports"), p => Assert.StartsWith("127.0.0.1:", p));
        Assert.False(citus["citus-worker-1"].Children.ContainsKey(new YamlScalarNode("ports")));
        Assert.Contains("citus_add_node", string.Join(' ', Seq(citus["citus-setup"], "command")));
        foreach (var name in new[] { "pipeline-citus", "dashboard-citus" })
        {
            var s = citus[name];
            Assert.Equal("citus-coordinator", Scalar(Map(s, "environment"), "DB_HOST"));
            Assert.Equal("service_completed_successfully", Scalar(Map(Map(s, "depends_on"), "citus-setup"), "condition"));
            Assert.False(Map(s, "environment").Children.ContainsKey(new YamlScalarNode("DB_PASSWORD")),
                "the password comes from .env only");
            // The same command as the single-node service.
            Assert.Equal(Seq(services[name.Replace("-citus", "", StringComparison.Ordinal)], "command"), Seq(s, "command"));
        }
    }
}
