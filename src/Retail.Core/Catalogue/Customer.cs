using Bogus;
using Retail.Core.Formats;
using Retail.Core.Generation;

namespace Retail.Core.Catalogue;

/// <summary>
/// The loyalty customer base, procedural: customer k's id, name and home store follow from the seed and k, so no
/// per-customer object is held and the base can be as large as the volume asks for (memory is the same for 1,000
/// or 10 million customers). Names come from Bogus (en_GB), drawn once into two small pools in the background: loading
/// Bogus's locale is ~0.1 s of a 1M-line run's ~0.9 s, so it overlaps the catalogue and the day plan instead of
/// preceding them, and the first line written waits for it.
/// </summary>
public sealed class CustomerPool
{
    /// <summary>Average loyalty visits per customer per year the base is sized for (each customer's own rate varies ~20×).</summary>
    public const double VisitsPerYear = 12;

    /// <summary>Customer ids are C + at least seven digits; ten million ids keep that shape.</summary>
    public const int MaxSize = 99_999_999;

    private const int NamePool = 4096;

    /// <summary>A bound on a name's UTF-8 bytes, so line buffers can be sized before the names are drawn.</summary>
    private const int MaxNameBytes = 48;

    private readonly ulong _seed;
    private readonly Task<(PackedNames First, PackedNames Last)> _names;
    private readonly int[] _blockStart;
    private readonly int[] _blockSize;
    private readonly short[] _storeKeys;
    private readonly WeightedPicker _storeByTraffic;

    public int Size { get; }

    private CustomerPool(ulong seed, int size, Task<(PackedNames First, PackedNames Last)> names)
    {
        _seed = seed;
        Size = size;
        _names = names;
        // Each store's regulars are one contiguous block of keys, sized by its traffic (largest remainder).
        var stores = StoreCatalogue.All;
        var maxKey = stores.Max(s => s.Key);
        _blockStart = new int[maxKey + 1];
        _blockSize = new int[maxKey + 1];
        var total = stores.Sum(s => s.Traffic);
        var exact = stores.Select(s => size * s.Traffic / total).ToArray();
        var sizes = exact.Select(e => (int)e).ToArray();
        foreach (var i in Enumerable.Range(0,
            stores.Count).OrderByDescending(i => exact[i] - sizes[i]).ThenBy(i => i).Take(size - sizes.Sum()))
        {
            sizes[i]++;
        }
        var start = 0;
        for (var i = 0; i < stores.Count; i++)
        {
            _blockStart[stores[i].Key] = start;
            _blockSize[stores[i].Key] = sizes[i];
            start += sizes[i];
        }
        _storeKeys = stores.Select(s => s.Key).ToArray();
        _storeByTraffic = new WeightedPicker(stores.Select(s => s.Traffic).ToArray());
    }

    public static CustomerPool Build(ulong seed, int size)
    {
        if (size is < 1 or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a customer base has 1 to {MaxSize:N0} customers");
        }
        return new CustomerPool(seed, size, Task.Run(() => DrawNames(seed)));
    }

    private static (PackedNames First, PackedNames Last) DrawNames(ulong seed)
    {
        // Bogus takes its randomness from an instance Randomizer here, never the static global seed. The Name data set
        // alone draws what a whole Faker's Name would (same Randomizer, same calls) without building the other sets.
        var names = new Bogus.DataSets.Name("en_GB") { Random = new Randomizer((int)(seed % int.MaxValue)) };
        var first = Enumerable.Range(0, NamePool).Select(_ => Encode(names.FirstName())).ToArray();
        var last = Enumerable.Range(0, NamePool).Select(_ => Encode(names.LastName())).ToArray();
        return (new PackedNames(first), new PackedNames(last));
    }

    /// <summary>The name pools; the first caller waits for the draw (and sees its exception, if any, unwrapped).</summary>
    private (PackedNames First, PackedNames Last) Names => _names.GetAwaiter().GetResult();

    /// <summary>
    /// The base a volume needs so customers visit about <see cref="VisitsPerYear"/> times a year: the loyalty receipts
    /// of <paramref name="rows"/> lines over <paramref name="days"/> days, annualised.
    /// </summary>
    public static int SizeFor(long rows, int days, double linesPerReceipt, double loyaltyShare)
    {
        var loyaltyReceiptsPerYear = rows / linesPerReceipt * loyaltyShare * 365.25 / Math.Max(1, days);
        return (int)Math.Clamp(Math.Round(loyaltyReceiptsPerYear / VisitsPerYear), 1, MaxSize);
    }

    /// <summary>A customer whose home is this store (or anyone, when the store has no regulars), with skewed frequency.</summary>
    public int PickAt(short store, ref Prng rng) =>
        _blockSize[store] == 0 ? PickAny(ref rng) : _blockStart[store] + Skewed(_blockSize[store], ref rng);

    /// <summary>A customer from any store, in proportion to the stores' traffic.</summary>
    public int PickAny(ref Prng rng)
    {
        var store = _storeKeys[_storeByTraffic.Pick(ref rng)];
        return _blockSize[store] == 0 ? 0 : _blockStart[store] + Skewed(_blockSize[store], ref rng);
    }

    /// <summary>
    /// Position in a block with visit weight 0.2 + 4x⁴ over x in [0, 1) (a few regulars, many occasional shoppers;
    /// the heaviest visit ~21× as often as the lightest): a mixture of uniform (1/5) and the max of five uniforms
    /// (density 5x⁴), which needs no floating-point function that could vary by platform.
    /// </summary>
    private static int Skewed(int count, ref Prng rng)
    {
        var x = rng.NextDouble();
        if (rng.Chance(0.8))
        {
            for (var i = 0; i < 4; i++)
            {
                x = Math.Max(x, rng.NextDouble());
            }
        }
        return Math.Min(count - 1, (int)(x * count));
    }

    public string Id(int index) => $"C{index + 1:0000000}";

    public string Name(int index)
    {
        var (f, l) = NameParts(index);
        var (first, last) = Names;
        return $"{System.Text.Encoding.UTF8.GetString(first[f])} {System.Text.Encoding.UTF8.GetString(last[l])}";
    }

    /// <summary>The most bytes <see cref="Write"/> can take.</summary>
    public int MaxFieldsBytes => 1 + 8 + 1 + MaxNameBytes + 1 + MaxNameBytes;

    /// <summary>Writes "customer_id,customer_name" for a row into <paramref name="dest"/>; returns the bytes written.</summary>
    public int Write(Span<byte> dest, int index)
    {
        var key = index + 1;
        dest[0] = (byte)'C';
        var n = 1;
        var digits = key < 10 ? 1 : key < 100 ? 2 : key < 1_000 ? 3 : key < 10_000 ? 4 : key < 100_000 ? 5 : key < 1_000_000 ? 6 : 7;
        for (var pad = 7 - digits; pad > 0; pad--)
        {
            dest[n++] = (byte)'0';
        }
        n += AsciiNumbers.Integer(dest[n..], key);
        dest[n++] = (byte)',';
        var (f, l) = NameParts(index);
        var (firstNames, lastNames) = Names;
        var first = firstNames[f];
        first.CopyTo(dest[n..]);
        n += first.Length;
        dest[n++] = (byte)' ';
        var last = lastNames[l];
        last.CopyTo(dest[n..]);
        return n + last.Length;
    }

    private (int First, int Last) NameParts(int index)
    {
        var h = Prng.First(_seed, stream: 9001, substream: index);
        return ((int)(h % NamePool), (int)((h >> 32) % NamePool));
    }

    /// <summary>Names are written inside one CSV field with a space between them: they must need no quoting.</summary>
    private static byte[] Encode(string name)
    {
        var clean = new string(name.Where(c => c is not (',' or '"' or '\r' or '\n')).ToArray());
        var bytes = System.Text.Encoding.UTF8.GetBytes(clean);
        return bytes.Length <= MaxNameBytes ? bytes
            : throw new InvalidOperationException($"a drawn name has {bytes.Length} bytes, over the {MaxNameBytes} lines are sized for");
    }
}

/// <summary>Short UTF-8 strings end to end in one array: a random pick reads one place, not a separate object each.</summary>
internal sealed class PackedNames
{
    private readonly byte[] _bytes;
    private readonly int[] _start;

    public PackedNames(byte[][] names)
    {
        _bytes = names.SelectMany(n => n).ToArray();
        _start = new int[names.Length + 1];
        for (var i = 0; i < names.Length; i++)
        {
            _start[i + 1] = _start[i] + names[i].Length;
        }
    }

    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(_start[index], _start[index + 1] - _start[index]);
}
