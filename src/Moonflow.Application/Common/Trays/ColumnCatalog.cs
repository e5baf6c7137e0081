using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Application.Common.Trays;

/// <summary>A column a tray can show (and export): a stable key, labels for people, whether it shows by default, its cell type.</summary>
public sealed record TrayColumn(string Key, string LabelEs, string LabelEn, bool ShownByDefault, CellKind Kind = CellKind.Text, double Width = 18)
{
    /// <summary>The header people read in <paramref name="language"/>: English for <c>en</c>, else Spanish (files written before languages were kept).</summary>
    public string Label(string? language) => language == "en" ? LabelEn : LabelEs;
}

/// <summary>The columns of one tray (every <see cref="TrayDefinition"/> is one); preferences and exports validate keys against them.</summary>
public interface IColumnCatalog
{
    string Tray { get; }

    IReadOnlyList<TrayColumn> Columns { get; }
}

public static class ColumnCatalogExtensions
{
    public static IReadOnlyList<string> DefaultKeys(this IColumnCatalog catalog) =>
        catalog.Columns.Where(c => c.ShownByDefault).Select(c => c.Key).ToList();

    public static IReadOnlyList<string> UnknownKeys(this IColumnCatalog catalog, IEnumerable<string> keys) =>
        keys.Where(k => catalog.Columns.All(c => !string.Equals(c.Key, k, StringComparison.Ordinal))).ToList();

    public static IColumnCatalog? For(this IEnumerable<IColumnCatalog> catalogs, string tray) =>
        catalogs.FirstOrDefault(c => string.Equals(c.Tray, tray, StringComparison.Ordinal));
}
