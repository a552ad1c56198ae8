namespace Retail.UnitTests.Style;

/// <summary>.editorconfig's max_line_length, enforced: no source line over 140 characters in src/, tests/ or bench/.</summary>
public sealed class LineLengthTests
{
    private const int MaxLineLength = 140;
    private static readonly string[] Folders = ["src", "tests", "bench"];
    private static readonly string[] Extensions = [".cs", ".razor", ".sql", ".sh"];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Retail.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Retail.slnx above {AppContext.BaseDirectory}: run the tests from the repository");
    }

    [Fact]
    public void No_source_line_is_longer_than_the_editorconfig_allows()
    {
        var root = RepositoryRoot();
        var separator = Path.DirectorySeparatorChar;
        var tooLong = Folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadLines(f)
                .Select((line, i) => (Line: i + 1, line.Length))
                .Where(l => l.Length > MaxLineLength)
                .Select(l => $"{Path.GetRelativePath(root, f)}:{l.Line} ({l.Length})"))
            .ToList();
        Assert.True(tooLong.Count == 0, $"{tooLong.Count} lines over {MaxLineLength} characters:\n{string.Join("\n", tooLong)}");
    }
}
