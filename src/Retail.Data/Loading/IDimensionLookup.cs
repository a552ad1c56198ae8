namespace Retail.Data.Loading;

/// <summary>
/// Natural key → surrogate key, in memory. The row validator needs only this, so it is tested without a database
/// (<see cref="DimensionCache"/> is the loader's implementation).
/// </summary>
internal interface IDimensionLookup
{
    bool Store(ReadOnlySpan<char> code, out short key);
    bool Category(ReadOnlySpan<char> name, out short key);
    bool Payment(ReadOnlySpan<char> name, out short key);
    bool Channel(ReadOnlySpan<char> name, out short key);
    bool Product(ReadOnlySpan<char> sku, out (int Key, short Category) p);
    bool Customer(ReadOnlySpan<char> id, out int key);
}

/// <summary>
/// Fresh surrogate keys for dimension members first seen in a file (<see cref="KeyReserver"/> draws them from a
/// sequence).
/// </summary>
internal interface IKeySource
{
    int Next();
}
