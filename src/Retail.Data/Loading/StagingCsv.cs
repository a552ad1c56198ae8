using nietras.SeparatedValues;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>Opens a staging file as CSV rows after checking its header; every problem names the file and the line.</summary>
internal static class StagingCsv
{
    /// <summary>A record may span a few lines (quoted line breaks); more is an unterminated quote eating the rows after it.</summary>
    public const int MaxLinesPerRecord = 4;

    /// <summary>The reader, positioned after a valid header. Throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static SepReader Open(string path, TextReader text)
    {
        var name = Path.GetFileName(path);
        // No Sep header handling: it throws on repeated column names, which is just another wrong header here.
        var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        try
        {
            if (!reader.MoveNext())
            {
                throw new InvalidDataException($"{name} has no header line: a staging file starts with '{SalesCsv.Header}'. Generate "
                    + $"files with 'retail generate' or add the header.");
            }
            var header = reader.Current;
            var matches = header.ColCount == SalesCsv.Columns.Length;
            for (var i = 0; matches && i < header.ColCount; i++)
            {
                matches = header[i].Span.SequenceEqual(SalesCsv.Columns[i]);
            }
            if (!matches)
            {
                var found = header.Span.Length > 300 ? string.Concat(header.Span[..300], "…") : header.Span.ToString();
                throw new InvalidDataException($"{name} is not a retail sales CSV: expected the header '{SalesCsv.Header}' but found "
                    + $"'{found}'. Generate files with 'retail generate' or fix the header.");
            }
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Physical lines a record spans (1 for an ordinary row).</summary>
    public static int Lines(SepReader.Row r) => r.LineNumberToExcl - r.LineNumberFrom;

    /// <summary>The file-level failure for a record that swallowed the lines after it.</summary>
    public static InvalidDataException UnterminatedQuote(string path, SepReader.Row r) =>
        new($"{Path.GetFileName(path)} line {r.LineNumberFrom}: a quoted field is not closed, so the record runs over {Lines(r)} lines "
            + $"(to line {r.LineNumberToExcl - 1}) and would swallow the rows in them; nothing from the file was loaded. Fix the quoting.");

    /// <summary>Sep's limit for one record (16 MiB) reached: the same story, one level down.</summary>
    public static InvalidDataException TooLong(string path, NotSupportedException e) =>
        new($"{Path.GetFileName(path)} holds a record longer than 16 MiB (an unterminated quote?); nothing from the file was loaded. Fix "
            + $"the file.", e);
}
