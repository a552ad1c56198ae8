using Retail.Dashboard;

namespace Retail.Tests.Dashboard;

/// <summary>OWASP's CSV-injection rule on the download writer, without a server.</summary>
public sealed class CsvExportTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("+1+1", "\"'+1+1\"")]
    [InlineData("-1+1", "\"'-1+1\"")]
    [InlineData("@SUM(1+1)", "\"'@SUM(1+1)\"")]
    [InlineData("\tcmd", "\"'\tcmd\"")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("Argos Home, Lounge Pants", "\"Argos Home, Lounge Pants\"")]
    [InlineData("Say \"hi\"", "\"Say \"\"hi\"\"\"")]
    [InlineData("Plain name 2+2=4", "Plain name 2+2=4")]
    [InlineData("", "")]
    public void Text_cells_that_a_spreadsheet_would_evaluate_are_neutralised(string value, string expected) =>
        Assert.Equal(expected, CsvExport.Text(value));

    [Fact]
    public void Numeric_columns_keep_negative_numbers_as_numbers()
    {
        var csv = CsvExport.Write([new("product"), new("revenue", Numeric: true)], [["-1+1", "-7.50"], ["Toy", "12.00"]]);
        Assert.Equal("product,revenue\n\"'-1+1\",-7.50\nToy,12.00\n", csv);
    }
}
