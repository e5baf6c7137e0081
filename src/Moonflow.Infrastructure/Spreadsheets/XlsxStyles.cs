using DocumentFormat.OpenXml.Spreadsheet;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>The cell formats the writer uses; their positions are the <c>s</c> of the cells.</summary>
internal static class XlsxStyles
{
    public const uint Header = 1;
    public const uint Integer = 2;
    public const uint Money = 3;
    public const uint Date = 4;
    public const uint DateTime = 5;

    public const string MoneyFormat = "#,##0.00";
    public const string DateFormat = "yyyy-mm-dd";
    public const string DateTimeFormat = "yyyy-mm-dd hh:mm";

    public static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = MoneyFormat },
            new NumberingFormat { NumberFormatId = 165, FormatCode = DateFormat },
            new NumberingFormat { NumberFormatId = 166, FormatCode = DateTimeFormat }) { Count = 3 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            Format(numberFormatId: 0, fontId: 0),
            Format(numberFormatId: 0, fontId: 1),
            Format(numberFormatId: 1, fontId: 0),
            Format(numberFormatId: 164, fontId: 0),
            Format(numberFormatId: 165, fontId: 0),
            Format(numberFormatId: 166, fontId: 0)) { Count = 6 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private static CellFormat Format(uint numberFormatId, uint fontId) => new()
    {
        NumberFormatId = numberFormatId,
        FontId = fontId,
        FillId = 0,
        BorderId = 0,
        FormatId = 0,
        ApplyNumberFormat = numberFormatId != 0 ? true : null,
        ApplyFont = fontId != 0 ? true : null,
    };
}
