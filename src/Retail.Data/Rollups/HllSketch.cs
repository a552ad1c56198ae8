using System.Buffers.Binary;
using System.Numerics;

namespace Retail.Data.Rollups;

/// <summary>
/// HyperLogLog sketches built by the loader in the hll extension's own storage format (postgresql-hll, schema
/// version 1), byte for byte what <c>hll_add_agg(hll_hash_integer(x), 12)</c> returns for the same set, so the
/// server only stores them and later unions them. Building them in the database cost a seventh of the server's
/// time per file at 10M lines (one aggregate over four arrays per batch). The tests compare the bytes with the
/// server's for sets ending in each form and at both edges between forms, and a load's sketches with the ones SQL
/// re-derives from its facts.
/// </summary>
internal static class HllSketch
{
    /// <summary>
    /// 2^12 registers: a standard error of about 1.6% (1.04 / √4096); the dashboard states three of them
    /// (<see cref="Queries.Kpis.UniqueCustomersErrorBound"/>). Rollups/rederive_month.sql passes the same 12.
    /// </summary>
    public const int Log2Registers = 12;

    private const int Registers = 1 << Log2Registers;
    private const int RegisterWidth = 5;
    private const int MaxRegister = (1 << RegisterWidth) - 1;

    // The extension's defaults: explicit threshold "auto" (as many 64-bit values as fit in the full registers' bytes),
    // sparse on. Header bytes: version 1 and type; register width - 1 and log2 of the registers; sparse on and auto.
    private const int ExplicitMax = Registers * RegisterWidth / 8 / sizeof(long);
    private const byte Explicit = 2, Sparse = 3, Full = 4;
    private const byte Shape = ((RegisterWidth - 1) << 5) | Log2Registers;
    private const byte Thresholds = (1 << 6) | 63;

    /// <summary>hll_hash_integer(value, 0): the first half of MurmurHash3_x64_128 over the value's four bytes.</summary>
    public static long HashInteger(int value)
    {
        const ulong c1 = 0x87c37b91114253d5, c2 = 0x4cf5ad432745937f;
        var k1 = (ulong)(uint)value;
        k1 *= c1;
        k1 = BitOperations.RotateLeft(k1, 31);
        k1 *= c2;
        var h1 = k1 ^ 4; // the seed (0) mixed with the tail, then with the length
        var h2 = 4UL;
        h1 += h2;
        h2 += h1;
        h1 = Mix(h1);
        h2 = Mix(h2);
        return (long)(h1 + h2);
    }

    private static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        return k ^ (k >> 33);
    }

    /// <summary>
    /// The sketch of a set of hashed values, added one at a time in any order and with repeats, in at most ~5 KB
    /// whatever the set's size: the values themselves while they may still end explicit, then the 4,096 registers.
    /// Which of the extension's forms it ends in depends only on the set: explicit (the sorted values) up to its
    /// threshold, then the registers, sparse (index and value of each filled one) while that is the smaller. The
    /// loader keeps one per (day, store, category), not a list of every hash the file brings.
    /// </summary>
    public sealed class Builder
    {
        // Kept with repeats until twice the explicit threshold, then made distinct: beyond the threshold, registers.
        private const int Compact = 2 * ExplicitMax;

        private long[]? _values = new long[8];
        private int _count;
        private byte[]? _registers;

        private bool IsEmpty => _count == 0 && _registers is null;

        public void Add(long hash)
        {
            if (_registers is not null)
            {
                Register(_registers, hash);
                return;
            }
            if (_count == _values!.Length)
            {
                if (_count == Compact && Distinct() > ExplicitMax)
                {
                    _registers = new byte[Registers];
                    foreach (var h in _values.AsSpan(0, _count))
                    {
                        Register(_registers, h);
                    }
                    Register(_registers, hash);
                    _values = null;
                    _count = 0;
                    return;
                }
                if (_count == _values.Length)
                {
                    Array.Resize(ref _values, Math.Min(_values.Length * 2, Compact));
                }
            }
            _values[_count++] = hash;
        }

        /// <summary>The extension's bytes for the values added so far.</summary>
        public byte[] ToBytes()
        {
            if (IsEmpty)
            {
                throw new InvalidOperationException("a sketch needs at least one value");
            }
            if (_registers is not null)
            {
                return RegisterSketch(_registers);
            }
            var distinct = Distinct();
            if (distinct <= ExplicitMax)
            {
                return ExplicitSketch(_values.AsSpan(0, distinct));
            }
            var registers = new byte[Registers];
            foreach (var h in _values.AsSpan(0, distinct))
            {
                Register(registers, h);
            }
            return RegisterSketch(registers);
        }

        /// <summary>Sorts the values and drops repeats; returns how many are left.</summary>
        private int Distinct()
        {
            // Only called with values: at the compaction limit, or from ToBytes once it has refused an empty sketch.
            var values = _values.AsSpan(0, _count);
            values.Sort();
            var distinct = 1;
            for (var i = 1; i < values.Length; i++)
            {
                if (values[i] != values[distinct - 1])
                {
                    values[distinct++] = values[i];
                }
            }
            _count = distinct;
            return distinct;
        }
    }

    private static void Register(Span<byte> registers, long h)
    {
        var index = (int)(h & (Registers - 1));
        var rest = (ulong)h >> Log2Registers;
        var value = rest == 0 ? 0 : Math.Min(BitOperations.TrailingZeroCount(rest) + 1, MaxRegister);
        if (registers[index] < value)
        {
            registers[index] = (byte)value;
        }
    }

    private static byte[] ExplicitSketch(ReadOnlySpan<long> sorted)
    {
        var bytes = new byte[3 + sizeof(long) * sorted.Length];
        Header(bytes, Explicit);
        for (var i = 0; i < sorted.Length; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(3 + sizeof(long) * i), sorted[i]);
        }
        return bytes;
    }

    private static byte[] RegisterSketch(ReadOnlySpan<byte> registers)
    {
        var filled = Registers - registers.Count((byte)0);
        var sparseBits = filled * (Log2Registers + RegisterWidth);
        if (sparseBits < Registers * RegisterWidth)
        {
            var bits = new BitWriter(new byte[3 + (sparseBits + 7) / 8], 3);
            Header(bits.Bytes, Sparse);
            for (var i = 0; i < Registers; i++)
            {
                if (registers[i] != 0)
                {
                    bits.Write((uint)(i << RegisterWidth) | registers[i], Log2Registers + RegisterWidth);
                }
            }
            return bits.Finish();
        }
        var full = new BitWriter(new byte[3 + Registers * RegisterWidth / 8], 3);
        Header(full.Bytes, Full);
        foreach (var r in registers)
        {
            full.Write(r, RegisterWidth);
        }
        return full.Finish();
    }

    private static void Header(byte[] bytes, byte type)
    {
        bytes[0] = (byte)((1 << 4) | type);
        bytes[1] = Shape;
        bytes[2] = Thresholds;
    }

    /// <summary>Values of a fixed width, most significant bit first, packed without gaps (the last byte zero-padded).</summary>
    private struct BitWriter(byte[] bytes, int start)
    {
        private ulong _pending;
        private int _bits;
        private int _at = start;

        public readonly byte[] Bytes => bytes;

        public void Write(uint value, int width)
        {
            _pending = (_pending << width) | value;
            _bits += width;
            while (_bits >= 8)
            {
                _bits -= 8;
                bytes[_at++] = (byte)(_pending >> _bits);
            }
        }

        public readonly byte[] Finish()
        {
            if (_bits > 0)
            {
                bytes[_at] = (byte)(_pending << (8 - _bits));
            }
            return bytes;
        }
    }
}
