namespace Retail.Dashboard.Components;

/// <summary>
/// A product view's address: /products/{sku} with the view's query string. SKUs such as 801/0830 keep their slash (the
/// route takes the rest of the path), everything else in them is escaped.
/// </summary>
public static class ProductLink
{
    public static string Path(string sku) => Uri.EscapeDataString(sku).Replace("%2F", "/", StringComparison.Ordinal);

    public static string Href(string sku, string queryString) => $"products/{Path(sku)}{queryString}";
}
