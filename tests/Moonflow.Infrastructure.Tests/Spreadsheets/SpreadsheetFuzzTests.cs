using System.IO.Compression;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.HostileCorpus;
using Moonflow.Infrastructure.Spreadsheets;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

/// <summary>
/// Thousands of random mutations of a valid workbook and a valid csv (bit flips, truncations, inserted, deleted and
/// duplicated bytes, also inside the sheet's XML before it is zipped again): each is read to its end or refused with a
/// <see cref="SpreadsheetFormatException"/>, never another exception, never a hang. Each case has its own fixed seed:
/// a failure names it, and <see cref="Mutate"/> with that seed gives the same input again.
/// </summary>
public sealed class SpreadsheetFuzzTests
{
    /// <summary>A case that takes longer has hung; the seeds read in milliseconds each.</summary>
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(10);

    private static readonly string[] XmlParts =
        ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels"];

    [Fact]
    public void ReadRowsAsync_WhenWorkbookBytesAreMutated_ReadsOrRefusesEachReadably()
    {
        var seed = Zip(SeedParts());

        Run(cases: 1_500, seedBase: 1_000_000, format: SpreadsheetFormat.Xlsx, make: random => Mutate(seed, random));
    }

    [Fact]
    public void ReadRowsAsync_WhenWorkbookXmlIsMutatedBeforeZipping_ReadsOrRefusesEachReadably()
    {
        var parts = SeedParts();

        Run(cases: 1_500, seedBase: 2_000_000, format: SpreadsheetFormat.Xlsx, make: random =>
        {
            // The sheet most often, since it is what uploads are made of; every other part the reader opens too.
            var part = random.Next(3) == 0 ? XmlParts[random.Next(XmlParts.Length)] : XmlParts[0];
            var mutated = new Dictionary<string, byte[]>(parts) { [part] = Mutate(parts[part], random) };
            return Zip(mutated);
        });
    }

    [Fact]
    public void ReadRowsAsync_WhenCsvBytesAreMutated_ReadsWhatAPlainParserReadsOrRefuses()
    {
        var seed = SeedCsv();

        Run(cases: 2_000, seedBase: 3_000_000, format: SpreadsheetFormat.Csv, make: random => Mutate(seed, random), check: (input, rows, error) =>
        {
            // The reader scans runs of text at a time; a character-by-character parser of the same rules must agree.
            var expected = ReferenceCsv.Read(input);
            return (expected.Refused, error is not null) switch
            {
                (true, true) => null,
                (false, false) when Same(expected.Rows!, rows!) => null,
                (false, false) => "rows differ from the plain parser's",
                (true, false) => $"read, but the plain parser refuses it ({expected.Reason})",
                (false, true) => $"refused ({error!.Message}), but the plain parser reads it",
            };
        });
    }

    /// <summary>1 to 3 of: flipped bits, a truncation, inserted, deleted or duplicated bytes, or bytes parsers treat specially.</summary>
    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    for (var flips = random.Next(1, 9); flips > 0; flips--)
                    {
                        var bit = random.Next(bytes.Count);
                        bytes[bit] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    var inserted = new byte[random.Next(1, 17)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 65), bytes.Count - at));
                    break;
                case 4:
                    var length = Math.Min(random.Next(1, 257), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    byte[] special = [0x00, 0xFF, 0x80, 0xC3, (byte)'<', (byte)'>', (byte)'&', (byte)'"', (byte)';', (byte)',', (byte)'\r', (byte)'\n', (byte)'/'];
                    bytes[at] = special[random.Next(special.Length)];
                    break;
            }
        }

        return [.. bytes];
    }

    private static void Run(
        int cases, int seedBase, SpreadsheetFormat format, Func<Random, byte[]> make,
        Func<byte[], List<SpreadsheetRow>?, SpreadsheetFormatException?, string?>? check = null)
    {
        var failures = new List<string>();
        var read = 0;
        for (var i = 0; i < cases && failures.Count < 10; i++)
        {
            var seed = seedBase + i;
            var input = make(new Random(seed));
            var outcome = Task.Run(() => ReadAsync(input, format));
            if (!outcome.Wait(PerCase))
            {
                failures.Add($"seed {seed}: still reading after {PerCase.TotalSeconds} s");
                continue;
            }

            var (rows, error, unexpected) = outcome.Result;
            if (unexpected is not null)
            {
                failures.Add($"seed {seed}: {unexpected.GetType().Name}: {unexpected.Message}{Environment.NewLine}{unexpected.StackTrace}");
                continue;
            }

            read += rows is null ? 0 : 1;

            // The reason reaches the uploader and the process log (a PostgreSQL text column, which refuses NUL).
            if (error is not null && (error.Message.Any(char.IsControl) || error.Message.Length > 500))
            {
                failures.Add($"seed {seed}: the reason is not fit to show: {error.Message}");
                continue;
            }

            if (check?.Invoke(input, rows, error) is { } problem)
            {
                failures.Add($"seed {seed}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        // Guards against passing vacuously: some mutations leave a readable file, most are refused.
        Assert.InRange(read, 1, cases - 1);
    }

    private static async Task<(List<SpreadsheetRow>? Rows, SpreadsheetFormatException? Error, Exception? Unexpected)> ReadAsync(byte[] input, SpreadsheetFormat format)
    {
        try
        {
            // The upload path sniffs first: that must not throw either, whatever it says.
            using (var sniffed = new MemoryStream(input, writable: false))
            {
                SpreadsheetSniffer.Detect(sniffed);
            }

            var rows = new List<SpreadsheetRow>();
            using var content = new MemoryStream(input, writable: false);
            await foreach (var row in new SpreadsheetReader().ReadRowsAsync(content, format, CancellationToken.None))
            {
                rows.Add(row);
            }

            return (rows, null, null);
        }
        catch (SpreadsheetFormatException error)
        {
            return (null, error, null);
        }
        catch (Exception unexpected)
        {
            return (null, null, unexpected);
        }
    }

    private static bool Same(List<SpreadsheetRow> expected, List<SpreadsheetRow> actual) =>
        expected.Count == actual.Count
        && expected.Zip(actual).All(pair => pair.First.RowNumber == pair.Second.RowNumber && pair.First.Cells.SequenceEqual(pair.Second.Cells));

    /// <summary>A workbook's parts with something of everything the reader handles.</summary>
    private static Dictionary<string, byte[]> SeedParts()
    {
        const string main = MinimalWorkbook.MainNamespace;
        const string relationships = MinimalWorkbook.RelationshipsNamespace;
        var sheet = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}" xmlns:r="{relationships}"><sheetData>""");
        sheet.Append("""<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Fecha</t></is></c><c r="D1" t="inlineStr"><is><t>Monto</t></is></c><c r="E1" t="inlineStr"><is><t>Activo</t></is></c></row>""");
        for (var r = 2; r <= 30; r++)
        {
            sheet.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"""<row r="{r}" spans="1:6"><c r="A{r}" t="s"><v>{2 + (r % 3)}</v></c><c r="B{r}" t="inlineStr"><is><r><t>Pérez &amp; </t></r><r><t xml:space="preserve">Hijos {r}</t></r><rPh sb="0" eb="1"><t>ペ</t></rPh></is></c><c r="C{r}" s="1"><v>{46000 + r}</v></c><c r="D{r}"><v>{r * 1.5}</v></c><c r="E{r}" t="b"><v>{r % 2}</v></c><!-- {r} --><c r="F{r}" t="str"><f>A1</f><v><![CDATA[<x & y>]]></v></c></row>""");
        }

        sheet.Append("""<row><c><v>1</v></c><c t="e"><v>#N/A</v></c></row></sheetData></worksheet>""");
        return new Dictionary<string, byte[]>
        {
            ["[Content_Types].xml"] = Encoding.UTF8.GetBytes(
                """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"""),
            ["_rels/.rels"] = Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
            ["xl/workbook.xml"] = Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relationships}"><workbookPr date1904="false"/><sheets><sheet name="Datos" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
            ["xl/_rels/workbook.xml.rels"] = Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{relationships}/styles" Target="/xl/styles.xml"/><Relationship Id="rId3" Type="{relationships}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""),
            ["xl/styles.xml"] = Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>"""),
            ["xl/sharedStrings.xml"] = Encoding.UTF8.GetBytes(
                $"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="5" uniqueCount="5"><si><t>Documento</t></si><si><t>Nombre</t></si><si><t>CC</t></si><si><r><rPr><b/></rPr><t>NIT</t></r></si><si><t>línea 1&#10;línea 2</t></si></sst>"""),
            ["xl/worksheets/sheet1.xml"] = Encoding.UTF8.GetBytes(sheet.ToString()),
        };
    }

    private static byte[] SeedCsv()
    {
        var text = new StringBuilder("\uFEFFDocumento;Nombre;Fecha;Monto;Nota\r\n");
        for (var r = 2; r <= 40; r++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{r:D6};\"Pérez; \"\"{r}\"\" S.A.\";2026-03-{1 + (r % 28):D2};{r},50;{(r % 5 == 0 ? "\"dos\nlíneas\"" : "ñandú")}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.Append("\r\n;;\r\nfin").ToString());
    }

    private static byte[] Zip(IReadOnlyDictionary<string, byte[]> parts)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in parts)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// The csv rules read one character at a time, the plainest way they can be written (the reader's own loop
    /// before it scanned runs): the reference the reader is held to.
    /// </summary>
    private static class ReferenceCsv
    {
        public static (bool Refused, string? Reason, List<SpreadsheetRow>? Rows) Read(byte[] input)
        {
            var text = new UTF8Encoding(false).GetString(input);
            var start = text.StartsWith('\uFEFF') ? 1 : 0;
            var lineEnd = text.IndexOf('\n', start);
            var header = text[start..(lineEnd < 0 ? text.Length : lineEnd)];
            var separator = header.Contains(';', StringComparison.Ordinal) && !header.Contains(',', StringComparison.Ordinal) ? ';' : ',';
            var rows = new List<SpreadsheetRow>();
            var fields = new List<string?>();
            var field = new StringBuilder();
            var position = start;
            long rowNumber = 0;
            while (true)
            {
                fields.Clear();
                field.Clear();
                rowNumber++;
                bool inQuotes = false, atFieldStart = true, started = false, ended = false;
                while (position < text.Length)
                {
                    var c = text[position];
                    if (inQuotes)
                    {
                        position++;
                        if (c == '"')
                        {
                            if (position < text.Length && text[position] == '"')
                            {
                                field.Append('"');
                                position++;
                            }
                            else
                            {
                                inQuotes = false;
                            }
                        }
                        else if (c is '\0' or '\uFFFD')
                        {
                            return (true, $"row {rowNumber} holds U+{(int)c:X4}", null);
                        }
                        else
                        {
                            field.Append(c);
                        }

                        continue;
                    }

                    position++;
                    started = true;
                    if (c == separator)
                    {
                        fields.Add(field.Length == 0 ? null : field.ToString());
                        field.Clear();
                        atFieldStart = true;
                    }
                    else if (c is '\n' or '\r')
                    {
                        if (c == '\r' && position < text.Length && text[position] == '\n')
                        {
                            position++;
                        }

                        ended = true;
                        break;
                    }
                    else if (c == '"' && atFieldStart)
                    {
                        inQuotes = true;
                        atFieldStart = false;
                    }
                    else if (c is '\0' or '\uFFFD')
                    {
                        return (true, $"row {rowNumber} holds U+{(int)c:X4}", null);
                    }
                    else
                    {
                        field.Append(c);
                        atFieldStart = false;
                    }
                }

                if (inQuotes)
                {
                    return (true, $"row {rowNumber} has an unterminated quote", null);
                }

                if (!started && !ended)
                {
                    return (false, null, rows);
                }

                fields.Add(field.Length == 0 ? null : field.ToString());
                var count = fields.Count;
                while (count > 0 && fields[count - 1] is null)
                {
                    count--;
                }

                if (count > 0)
                {
                    rows.Add(new SpreadsheetRow(rowNumber, fields.Take(count).ToArray()));
                }
            }
        }
    }
}
