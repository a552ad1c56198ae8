using System.Text;

namespace Retail.Dashboard;

/// <summary>A CSV column: text cells get the formula-injection rule, numeric cells are written as formatted.</summary>
internal readonly record struct CsvColumn(string Name, bool Numeric = false);

/// <summary>
/// RFC 4180 CSV for the downloads, safe to open in a spreadsheet. OWASP's CSV-injection rule: a text cell starting with
/// = + - @ tab or carriage return would be evaluated as a formula, so it gets a leading single quote and is quoted.
/// Numeric columns hold numbers we formatted ourselves (a negative revenue must stay a number), so the rule skips them.
/// </summary>
internal static class CsvExport
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Write(IReadOnlyList<CsvColumn> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder(Header(columns));
        foreach (var row in rows)
        {
            text.Append(Line(columns, row));
        }
        return text.ToString();
    }

    public static string Header(IReadOnlyList<CsvColumn> columns) => string.Join(',', columns.Select(c => Text(c.Name))) + "\n";

    /// <summary>One row with its line end, for writers that stream rows as they come.</summary>
    public static string Line(IReadOnlyList<CsvColumn> columns, IReadOnlyList<string> row)
    {
        var text = new StringBuilder();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(columns[i].Numeric ? Quote(row[i]) : Text(row[i]));
        }
        return text.Append('\n').ToString();
    }

    /// <summary>A text cell as a spreadsheet will read it: never as a formula.</summary>
    public static string Text(string value) =>
        value.Length > 0 && Triggers.Contains(value[0]) ? Quoted("'" + value) : Quote(value);

    private static string Quote(string value) => value.IndexOfAny(NeedsQuotes) >= 0 ? Quoted(value) : value;

    private static string Quoted(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
