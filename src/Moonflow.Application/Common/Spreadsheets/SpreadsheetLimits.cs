namespace Moonflow.Application.Common.Spreadsheets;

/// <summary>
/// How much an uploaded spreadsheet may make the reader do. An upload's size limit says nothing of what is inside it:
/// a 1 MB workbook can unpack to gigabytes, and one csv line can be the whole file. Past a limit the reader stops at
/// once with a <see cref="SpreadsheetFormatException"/> saying what to change, before it has read or held much more.
/// The defaults leave room for any workbook Excel can save within the upload limit.
/// </summary>
public sealed class SpreadsheetLimits
{
    public const string Section = "Uploads:Limits";

    /// <summary>Excel's own limit on the characters of a cell.</summary>
    public const int ExcelMaxCellCharacters = 32_767;

    /// <summary>Excel's last column is XFD; a row with more cells is no sheet Excel can open.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>Rows after the header row, empty ones included: a sheet of empty rows costs as much to read as a full one.</summary>
    public long MaxRows { get; set; } = 1_000_000;

    /// <summary>Characters of one cell, in xlsx and csv.</summary>
    public int MaxCellCharacters { get; set; } = ExcelMaxCellCharacters;

    /// <summary>Characters of one row: a csv record (a line, or more where quoted fields hold line breaks) or an xlsx row.</summary>
    public int MaxRowCharacters { get; set; } = 1_048_576;

    /// <summary>Bytes any zip entry of an xlsx may unpack to, counted while it unpacks (the declared size is not trusted).</summary>
    public long MaxEntryBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How many times its packed size an entry may unpack to. Sheets compress about 5 to 20 times; a zip bomb, a
    /// thousand. Entries that unpack to less than <see cref="CompressionRatioGraceBytes"/> are not held to it.
    /// </summary>
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>Bytes the shared-strings part (the workbook's table of texts, all held while reading) may unpack to.</summary>
    public long MaxSharedStringsBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Texts in the shared-strings part.</summary>
    public int MaxSharedStrings { get; set; } = 2_000_000;

    /// <summary>Bytes the workbook part, and each relationships part of the package, may unpack to.</summary>
    public long MaxWorkbookBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Bytes the styles part may unpack to.</summary>
    public long MaxStylesBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Small entries may compress far better than sheets do (a styles part of repeated formats), harmlessly.</summary>
    public const long CompressionRatioGraceBytes = 1024 * 1024;

    /// <summary>The first setting that cannot work, or null when all can.</summary>
    public string? Problem() =>
        MaxRows < 1 ? $"{Section}:{nameof(MaxRows)} must be at least 1."
        : MaxCellCharacters < 1 ? $"{Section}:{nameof(MaxCellCharacters)} must be at least 1."
        : MaxRowCharacters < MaxCellCharacters ? $"{Section}:{nameof(MaxRowCharacters)} must be at least {Section}:{nameof(MaxCellCharacters)}."
        : MaxEntryBytes < 1024 ? $"{Section}:{nameof(MaxEntryBytes)} must be at least 1024."
        : MaxCompressionRatio < 1 ? $"{Section}:{nameof(MaxCompressionRatio)} must be at least 1."
        : MaxSharedStringsBytes < 1 || MaxSharedStrings < 1 ? $"{Section}:{nameof(MaxSharedStringsBytes)} and {nameof(MaxSharedStrings)} must be at least 1."
        : MaxWorkbookBytes < 1024 || MaxStylesBytes < 1024 ? $"{Section}:{nameof(MaxWorkbookBytes)} and {nameof(MaxStylesBytes)} must be at least 1024."
        : null;
}
