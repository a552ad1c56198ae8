using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retail.Core.Formats;

/// <summary>What a generation produced: its arguments, its files with hashes, control totals and injected faults.</summary>
public sealed record Manifest
{
    public const string FileName = "manifest.json";

    public string Generator { get; init; } = "retail generate";
    public string Version { get; init; } = GeneratorVersion;
    public string Format { get; init; } = "retail-sales-csv/1";
    public required ManifestArguments Arguments { get; init; }
    public required ManifestTotals Totals { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }
    public required IReadOnlyList<ControlTotal> ControlTotals { get; init; }
    public required IReadOnlyList<InjectedFault> Faults { get; init; }

    // 1.1: the customer base scales with the volume (procedural, any size). 1.2: revenue in pence.
    public const string GeneratorVersion = "1.2.0";

    public void WriteTo(Stream stream) => JsonSerializer.Serialize(stream, this, ManifestJson.Default.Manifest);

    public static Manifest ReadFrom(Stream stream) =>
        JsonSerializer.Deserialize(stream, ManifestJson.Default.Manifest) ?? throw new InvalidDataException("the manifest is empty");
}

/// <summary>
/// The manifest's JSON shape, generated at build time: by reflection, its first write cost ~0.1 s of a 1M-line
/// generation (metadata and emitted accessors, all compiled at start-up).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Manifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>Customers is the loyalty base the rows were drawn from (0 in manifests of generator 1.0).</summary>
public sealed record ManifestArguments(long Rows, ulong Seed, DateOnly From, DateOnly To, double Dirty, bool Gzip, int Customers = 0);

/// <summary>Revenue in integer pence.</summary>
public sealed record ManifestTotals(long Rows, long ValidRows, long Units, long RevenuePence)
{
    /// <summary>Pounds, as generator 1.0–1.1 wrote it: read into <see cref="RevenuePence"/>, never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Revenue
    {
        get => null;
        init => RevenuePence = value is { } pounds ? Money.FromPounds(pounds) : RevenuePence;
    }
}

public sealed record ManifestFile(string File, DateOnly Date, long Rows, long Bytes, string Sha256);

/// <summary>Valid rows only, per store per day: what the warehouse must reconcile to, to the penny.</summary>
public sealed record ControlTotal(DateOnly Date, string Store, long Lines, long Units, long RevenuePence)
{
    /// <summary>Pounds, as generator 1.0–1.1 wrote it: read into <see cref="RevenuePence"/>, never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Revenue
    {
        get => null;
        init => RevenuePence = value is { } pounds ? Money.FromPounds(pounds) : RevenuePence;
    }
}

/// <summary>Line is the 1-based physical line in the file (the header is line 1).</summary>
public sealed record InjectedFault(string File, long Line, FaultKind Kind);

public enum FaultKind
{
    MissingField,
    BadNumber,
    BadDate,
    UnknownStore,
    NegativePrice,
    DuplicateLine,
    WrongColumnCount,
    EncodingError,
}
