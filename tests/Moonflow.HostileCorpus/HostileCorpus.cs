using System.Globalization;
using System.Text;

namespace Moonflow.HostileCorpus;

public enum HostileFormat
{
    Xlsx,
    Csv,
}

/// <summary>
/// One hostile upload: how to make it, and what the spreadsheet reader must do with it — refuse it with a readable
/// reason (<see cref="Refusal"/>), or read it to its end (<see cref="DataRows"/>).
/// </summary>
public sealed class HostileFile
{
    private readonly Action<string> _write;

    internal HostileFile(string name, HostileFormat format, string description, string? refusal, long? dataRows, bool refusedEarly, Action<string> write)
    {
        Name = name;
        Format = format;
        Description = description;
        Refusal = refusal;
        DataRows = dataRows;
        RefusedEarly = refusedEarly;
        _write = write;
    }

    public string Name { get; }

    public HostileFormat Format { get; }

    public string FileName => Name + (Format == HostileFormat.Xlsx ? ".xlsx" : ".csv");

    public string Description { get; }

    /// <summary>A part of the reader's refusal message; null when the file is to be read to its end.</summary>
    public string? Refusal { get; }

    /// <summary>The data rows (after the header row) of a file that is to be read to its end.</summary>
    public long? DataRows { get; }

    /// <summary>Whether the refusal must come before the reader has gone through the file (bombs are not unpacked to their end).</summary>
    public bool RefusedEarly { get; }

    /// <summary>The file in <paramref name="folder"/>, made there first if it is not there yet.</summary>
    public string WriteTo(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var partial = path + ".partial";
            _write(partial);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    public override string ToString() => FileName;
}

/// <summary>
/// The hostile uploads of the hardened-upload tests and benchmark, generated at run time (a gigabyte-scale zip bomb is
/// a few lines here and a megabyte on disk, never a committed binary). Each carries the required header row of the bulk
/// communications upload, so that the upload is accepted and its content meets the reader.
/// </summary>
public static class HostileUploads
{
    public static readonly IReadOnlyList<string> RequiredHeaders =
        ["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado"];

    private const int Megabyte = 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static IReadOnlyList<HostileFile> Files { get; } =
    [
        new("zip-bomb", HostileFormat.Xlsx, "1 GB of whitespace in a sheet, packed into 1 MB", "times its packed size", null, true,
            path => ZipBomb(path, lieAboutSize: false)),
        new("zip-bomb-lying-header", HostileFormat.Xlsx, "the same sheet, its zip headers claiming 1,000 bytes", "not a valid .xlsx workbook", null, true,
            path => ZipBomb(path, lieAboutSize: true)),
        new("empty-rows-3m", HostileFormat.Xlsx, "a header row and 3,000,000 empty rows", "more than 1,000,000 rows", null, true, EmptyRows),
        new("empty-lines-3m", HostileFormat.Csv, "a header line and 3,000,000 blank lines", "more than 1,000,000 rows", null, true, EmptyLines),
        new("shared-strings-bomb", HostileFormat.Xlsx, "2,500,000 shared strings, the last one used", "more than 2,000,000 different texts", null, true,
            SharedStringsBomb),
        new("shared-strings-large", HostileFormat.Xlsx, "120 MB of shared strings", "table of texts (xl/sharedStrings.xml) is too large", null, true,
            SharedStringsLarge),
        new("styles-bomb", HostileFormat.Xlsx, "2,000,000 cell formats (34 MB of styles)", "formatting (xl/styles.xml) is too large", null, true, StylesBomb),
        new("workbook-bomb", HostileFormat.Xlsx, "600,000 defined names (20 MB of workbook part)", "description (xl/workbook.xml) is too large", null, true,
            WorkbookBomb),
        new("billion-laughs", HostileFormat.Xlsx, "nested entities in the sheet's DTD", "DTDs are not allowed", null, false, BillionLaughs),
        new("external-entity", HostileFormat.Xlsx, "an entity naming file:///etc/passwd in the shared strings", "DTDs are not allowed", null, false,
            ExternalEntity),
        new("deep-nesting", HostileFormat.Xlsx, "1,000,000 nested elements in a row", "nested more than 256 deep", null, true, DeepNesting),
        new("many-namespaces", HostileFormat.Xlsx, "100,000 namespace declarations on the sheet's root", "more than 256 namespaces", null, false,
            ManyNamespaces),
        new("many-sheets", HostileFormat.Xlsx, "100,000 chart sheets listed before the one worksheet", null, 0, false, ManySheets),
        new("truncated", HostileFormat.Xlsx, "a 5,000-row workbook cut in half", "not a valid .xlsx workbook", null, false, Truncated),
        new("zip-slip", HostileFormat.Xlsx, "entries named ../../../../tmp/…, ..\\..\\… and /tmp/…", "unsafe name", null, false, ZipSlip),
        new("invalid-utf8", HostileFormat.Xlsx, "a cell with bytes that are not UTF-8", "not valid UTF-8", null, false, InvalidUtf8Workbook),
        new("nul-bytes", HostileFormat.Xlsx, "a cell with a NUL byte", "control character (code 0)", null, false, NulBytesWorkbook),
        new("invalid-utf8", HostileFormat.Csv, "row 3,002 in Windows-1252", "Row 3002 is not UTF-8 text", null, false, InvalidUtf8Csv),
        new("latin1", HostileFormat.Csv, "a whole file in Windows-1252 (Excel's plain CSV)", "Row 1 is not UTF-8 text", null, false, Latin1Csv),
        new("nul-bytes", HostileFormat.Csv, "a NUL byte in row 3,002, past the first 64 KB", "Row 3002 holds a NUL character", null, false, NulBytesCsv),
        new("single-line-15mb", HostileFormat.Csv, "one 15 MB line of short fields", "more than 16,384 columns", null, true, SingleLine),
        new("long-cell-15mb", HostileFormat.Csv, "a quoted field never closed, 15 MB long", "holds more than 32,767 characters", null, true, LongCell),
        new("bad-rows-900k", HostileFormat.Csv, "900,000 rows that are all invalid", null, 900_000, false, BadRows),
    ];

    public static HostileFile Named(string fileName) => Files.Single(f => f.FileName == fileName);

    /// <summary>The header line of the csv files.</summary>
    public static string CsvHeader => string.Join(",", RequiredHeaders);

    private static void ZipBomb(string path, bool lieAboutSize)
    {
        var spaces = new byte[Megabyte];
        Array.Fill(spaces, (byte)' ');
        new MinimalWorkbook
        {
            Sheet = stream =>
            {
                stream.Write(Utf8.GetBytes(SheetStart + MinimalWorkbook.HeaderRow()));
                for (var i = 0; i < 1000; i++)
                {
                    stream.Write(spaces);
                }

                stream.Write(Utf8.GetBytes("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>CC</t></is></c></row>" + SheetEnd));
            },
        }.WriteTo(path);
        if (lieAboutSize)
        {
            ZipHeaders.SetDeclaredSize(path, "xl/worksheets/sheet1.xml", 1000);
        }
    }

    private static void EmptyRows(string path) => new MinimalWorkbook
    {
        Sheet = Streamed(writer =>
        {
            writer.Write(SheetStart + MinimalWorkbook.HeaderRow());
            for (var r = 2; r <= 3_000_001; r++)
            {
                writer.Write("<row r=\"");
                writer.Write(r);
                writer.Write("\"/>");
            }

            writer.Write(SheetEnd);
        }),
    }.WriteTo(path);

    private static void EmptyLines(string path) => WriteCsv(path, writer =>
    {
        writer.Write(CsvHeader + "\r\n");
        for (var i = 0; i < 3_000_000; i++)
        {
            writer.Write("\r\n");
        }
    });

    private static void SharedStringsBomb(string path) => new MinimalWorkbook
    {
        SharedStrings = Streamed(writer =>
        {
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MinimalWorkbook.MainNamespace}" count="2500000" uniqueCount="2500000">""");
            for (var i = 0; i < 2_500_000; i++)
            {
                writer.Write("<si><t>");
                writer.Write(i);
                writer.Write("</t></si>");
            }

            writer.Write("</sst>");
        }),
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2499999</v></c></row>" + SheetEnd),
    }.WriteTo(path);

    private static void SharedStringsLarge(string path)
    {
        var text = new string('a', 30_000);
        new MinimalWorkbook
        {
            SharedStrings = Streamed(writer =>
            {
                writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MinimalWorkbook.MainNamespace}">""");
                for (var i = 0; i < 4_000; i++)
                {
                    writer.Write("<si><t>");
                    writer.Write(text);
                    writer.Write("</t></si>");
                }

                writer.Write("</sst>");
            }),
            Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>" + SheetEnd),
        }.WriteTo(path);
    }

    private static void StylesBomb(string path) => new MinimalWorkbook
    {
        Styles = Streamed(writer =>
        {
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MinimalWorkbook.MainNamespace}"><cellXfs count="2000000">""");
            for (var i = 0; i < 2_000_000; i++)
            {
                writer.Write("<xf numFmtId=\"0\" fontId=\"0\"/>");
            }

            writer.Write("</cellXfs></styleSheet>");
        }),
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + SheetEnd),
    }.WriteTo(path);

    private static void WorkbookBomb(string path) => new MinimalWorkbook
    {
        Workbook = Streamed(writer =>
        {
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MinimalWorkbook.MainNamespace}" xmlns:r="{MinimalWorkbook.RelationshipsNamespace}"><sheets><sheet name="Comunicaciones" sheetId="1" r:id="rId1"/></sheets><definedNames>""");
            for (var i = 0; i < 600_000; i++)
            {
                writer.Write("<definedName name=\"n");
                writer.Write(i);
                writer.Write("\">Comunicaciones!$A$1</definedName>");
            }

            writer.Write("</definedNames></workbook>");
        }),
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + SheetEnd),
    }.WriteTo(path);

    private static void BillionLaughs(string path)
    {
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var level = 1; level <= 9; level++)
        {
            var previous = level == 1 ? "lol" : $"lol{level - 1}";
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{level} \"{string.Concat(Enumerable.Repeat($"&{previous};", 10))}\">");
        }

        new MinimalWorkbook
        {
            Sheet = MinimalWorkbook.Text(
                $"""<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{MinimalWorkbook.MainNamespace}"><sheetData>{MinimalWorkbook.HeaderRow()}<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>{SheetEnd}"""),
        }.WriteTo(path);
    }

    private static void ExternalEntity(string path) => new MinimalWorkbook
    {
        SharedStrings = MinimalWorkbook.Text(
            $"""<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="{MinimalWorkbook.MainNamespace}"><si><t>&xxe;</t></si></sst>"""),
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>" + SheetEnd),
    }.WriteTo(path);

    private static void DeepNesting(string path) => new MinimalWorkbook
    {
        Sheet = Streamed(writer =>
        {
            writer.Write(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\">");
            for (var i = 0; i < 1_000_000; i++)
            {
                writer.Write("<x>");
            }

            for (var i = 0; i < 1_000_000; i++)
            {
                writer.Write("</x>");
            }

            writer.Write("</row>" + SheetEnd);
        }),
    }.WriteTo(path);

    private static void ManyNamespaces(string path) => new MinimalWorkbook
    {
        Sheet = Streamed(writer =>
        {
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MinimalWorkbook.MainNamespace}" """);
            for (var i = 0; i < 100_000; i++)
            {
                writer.Write($"xmlns:n{i}=\"urn:n{i}\" ");
            }

            writer.Write("><sheetData>" + MinimalWorkbook.HeaderRow() + SheetEnd);
        }),
    }.WriteTo(path);

    private static void ManySheets(string path) => new MinimalWorkbook
    {
        // Each chart sheet's relationship has to be looked up before the worksheet's is reached.
        Workbook = Streamed(writer =>
        {
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MinimalWorkbook.MainNamespace}" xmlns:r="{MinimalWorkbook.RelationshipsNamespace}"><sheets>""");
            for (var i = 0; i < 100_000; i++)
            {
                writer.Write($"""<sheet name="G{i}" sheetId="{i + 2}" r:id="c{i}"/>""");
            }

            writer.Write("""<sheet name="Comunicaciones" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        }),
        WorkbookRelationships = Streamed(writer =>
        {
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
            for (var i = 0; i < 100_000; i++)
            {
                writer.Write($"""<Relationship Id="c{i}" Type="x/chartsheet" Target="c.xml"/>""");
            }

            writer.Write($"""<Relationship Id="rId1" Type="{MinimalWorkbook.RelationshipsNamespace}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{MinimalWorkbook.RelationshipsNamespace}/styles" Target="styles.xml"/></Relationships>""");
        }),
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + SheetEnd),
    }.WriteTo(path);

    private static void Truncated(string path)
    {
        var whole = path + ".whole";
        new MinimalWorkbook
        {
            Sheet = Streamed(writer =>
            {
                writer.Write(SheetStart + MinimalWorkbook.HeaderRow());
                for (var r = 2; r <= 5_001; r++)
                {
                    writer.Write(DataRow(r));
                }

                writer.Write(SheetEnd);
            }),
        }.WriteTo(whole);
        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        File.Delete(whole);
    }

    private static void ZipSlip(string path) => new MinimalWorkbook
    {
        Sheet = MinimalWorkbook.Text(SheetStart + MinimalWorkbook.HeaderRow() + DataRow(2) + SheetEnd),
        ExtraEntries =
        [
            ("../../../../tmp/moonflow-zip-slip.txt", "written outside the folder"u8.ToArray()),
            ("..\\..\\moonflow-zip-slip.txt", "written outside the folder"u8.ToArray()),
            ("/tmp/moonflow-zip-slip-absolute.txt", "written at an absolute path"u8.ToArray()),
        ],
    }.WriteTo(path);

    private static void InvalidUtf8Workbook(string path) => new MinimalWorkbook
    {
        Sheet = stream =>
        {
            stream.Write(Utf8.GetBytes(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Pe"));
            stream.Write([0xF1, 0x61, 0xC3, 0x28]); // "ña" in Windows-1252, then a lead byte without its continuation
            stream.Write(Utf8.GetBytes("</t></is></c></row>" + SheetEnd));
        },
    }.WriteTo(path);

    private static void NulBytesWorkbook(string path) => new MinimalWorkbook
    {
        Sheet = stream =>
        {
            stream.Write(Utf8.GetBytes(SheetStart + MinimalWorkbook.HeaderRow() + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>C"));
            stream.Write([0x00]);
            stream.Write(Utf8.GetBytes("C</t></is></c></row>" + SheetEnd));
        },
    }.WriteTo(path);

    private static void InvalidUtf8Csv(string path) => WriteCsvBytes(path, stream =>
    {
        stream.Write(Utf8.GetBytes(CsvHeader + "\r\n" + string.Concat(Enumerable.Range(2, 3_000).Select(CsvRow))));
        stream.Write(Encoding.Latin1.GetBytes("CC,3002,SMS,2026-01-01 10:00,Peña,Enviada\r\n"));
    });

    private static void Latin1Csv(string path) => WriteCsvBytes(path, stream =>
        stream.Write(Encoding.Latin1.GetBytes(CsvHeader + "\r\n" + "CC,1,SMS,2026-01-01 10:00,Peña,Enviada\r\n")));

    private static void NulBytesCsv(string path) => WriteCsvBytes(path, stream =>
    {
        stream.Write(Utf8.GetBytes(CsvHeader + "\r\n" + string.Concat(Enumerable.Range(2, 3_000).Select(CsvRow))));
        stream.Write("CC,3002,SMS,2026-01-01 10:00,+57 300\0,Enviada\r\n"u8);
    });

    private static void SingleLine(string path) => WriteCsv(path, writer =>
    {
        writer.Write(CsvHeader);
        for (var i = 0; i < 15 * Megabyte / 2; i++)
        {
            writer.Write(",x");
        }
    });

    private static void LongCell(string path) => WriteCsv(path, writer =>
    {
        writer.Write(CsvHeader + "\r\nCC,123,SMS,2026-01-01 10:00,\"");
        var run = new string('a', Megabyte);
        for (var i = 0; i < 15; i++)
        {
            writer.Write(run);
        }
    });

    private static void BadRows(string path) => WriteCsv(path, writer =>
    {
        writer.Write(CsvHeader + "\r\n");
        for (var i = 0; i < 900_000; i++)
        {
            // Every value is wrong: document type, date, channel and status.
            writer.Write("ZZ,1,X,1,x,X\r\n");
        }
    });

    private const string SheetStart = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MinimalWorkbook.MainNamespace}"><sheetData>""";

    private const string SheetEnd = "</sheetData></worksheet>";

    private static string DataRow(int r) => string.Create(
        CultureInfo.InvariantCulture,
        $"""<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>CC</t></is></c><c r="B{r}" t="inlineStr"><is><t>{r:D8}</t></is></c><c r="C{r}" t="inlineStr"><is><t>SMS</t></is></c><c r="D{r}" t="inlineStr"><is><t>2026-01-01 10:00</t></is></c><c r="E{r}" t="inlineStr"><is><t>+57 300{r:D7}</t></is></c><c r="F{r}" t="inlineStr"><is><t>Enviada</t></is></c></row>""");

    private static string CsvRow(int r) => string.Create(CultureInfo.InvariantCulture, $"CC,{r:D8},SMS,2026-01-01 10:00,+57 300{r:D7},Enviada\r\n");

    private static Action<Stream> Streamed(Action<TextWriter> write) => stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true);
        write(writer);
    };

    private static void WriteCsv(string path, Action<TextWriter> write)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Streamed(write)(file);
    }

    private static void WriteCsvBytes(string path, Action<Stream> write)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        write(file);
    }
}

/// <summary>Edits a written zip's headers in place, to make an archive that lies.</summary>
internal static class ZipHeaders
{
    /// <summary>Sets the uncompressed size the central directory and the local header declare for an entry.</summary>
    public static void SetDeclaredSize(string path, string entryName, uint size)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        using var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);

        // The end of central directory record (no archive comment): the directory's entry count and offset.
        file.Position = file.Length - 22;
        if (reader.ReadUInt32() != 0x06054b50)
        {
            throw new InvalidDataException("No end of central directory record where expected.");
        }

        file.Position = file.Length - 22 + 10;
        var entries = reader.ReadUInt16();
        file.Position = file.Length - 22 + 16;
        var offset = reader.ReadUInt32();
        for (var i = 0; i < entries; i++)
        {
            file.Position = offset;
            if (reader.ReadUInt32() != 0x02014b50)
            {
                throw new InvalidDataException("No central directory entry where expected.");
            }

            file.Position = offset + 28;
            var nameLength = reader.ReadUInt16();
            var extraLength = reader.ReadUInt16();
            var commentLength = reader.ReadUInt16();
            file.Position = offset + 42;
            var localHeader = reader.ReadUInt32();
            var name = Encoding.UTF8.GetString(reader.ReadBytes(nameLength));
            if (name == entryName)
            {
                file.Position = offset + 24;
                writer.Write(size);
                file.Position = localHeader + 22;
                writer.Write(size);
                return;
            }

            offset += 46u + nameLength + extraLength + commentLength;
        }

        throw new InvalidDataException($"No entry named {entryName}.");
    }
}
