using System.Text;
using Moonflow.Application.Backups.Archive;

namespace Moonflow.Application.Tests.Backups;

public sealed class ArchiveEntryNamesTests
{
    [Theory]
    [InlineData("..", "_")]
    [InlineData(".", "_")]
    [InlineData("...", "_")]
    [InlineData("", "_")]
    [InlineData("   ", "_")]
    [InlineData("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h")]
    [InlineData("tab\there\u0001\u001f", "tab_here__")]
    [InlineData("trailing dot.", "trailing dot")]
    [InlineData("trailing space ", "trailing space")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("Nul", "_Nul")]
    [InlineData("COM1.pdf", "_COM1.pdf")]
    [InlineData("LPT9", "_LPT9")]
    [InlineData("CONSOLE.txt", "CONSOLE.txt")]
    [InlineData("Factura Nº 12 — pagada.pdf", "Factura Nº 12 — pagada.pdf")]
    public void Segment_WhenGivenAnUnsafeName_MakesItSafe(string name, string expected) =>
        Assert.Equal(expected, ArchiveEntryNames.Segment(name));

    [Theory]
    [InlineData("../../etc", "passwd", "_/_/etc/passwd")]
    [InlineData("/absolute/path", "x.pdf", "absolute/path/x.pdf")]
    [InlineData("C:\\Windows", "x.pdf", "C_/Windows/x.pdf")]
    [InlineData("clients", "../../../evil.sh", "clients/.._.._.._evil.sh")]
    public void Reserve_WhenFolderOrNameTriesToClimbOut_StaysInsideTheArchive(string folder, string name, string expected)
    {
        var path = new ArchiveEntryNames().Reserve(folder, name);

        Assert.DoesNotContain("..", path.Split('/'));
        Assert.False(path.StartsWith('/'));
        Assert.DoesNotContain(':', path);
        Assert.Equal(expected, path);
    }

    [Fact]
    public void Reserve_WhenTheSameNameComesTwiceInAFolder_NumbersTheSecondIgnoringCase()
    {
        var names = new ArchiveEntryNames();

        Assert.Equal("clients/CC-1-Ana/acta.pdf", names.Reserve("clients/CC-1-Ana", "acta.pdf"));
        Assert.Equal("clients/CC-1-Ana/acta (2).pdf", names.Reserve("clients/CC-1-Ana", "acta.pdf"));
        Assert.Equal("clients/CC-1-Ana/ACTA (3).pdf", names.Reserve("clients/CC-1-Ana", "ACTA.pdf"));
        Assert.Equal("clients/CC-2-Luis/acta.pdf", names.Reserve("clients/CC-2-Luis", "acta.pdf"));
        Assert.Equal("acta.pdf", names.Reserve(string.Empty, "acta.pdf"));
    }

    [Fact]
    public void Reserve_WhenTwoUnsafeNamesBecomeTheSame_KeepsBoth()
    {
        var names = new ArchiveEntryNames();

        Assert.Equal("a_b.txt", names.Reserve("", "a:b.txt"));
        Assert.Equal("a_b (2).txt", names.Reserve("", "a*b.txt"));
    }

    [Fact]
    public void Segment_WhenLongerThan255Bytes_IsCutOnACharacterKeepingTheExtension()
    {
        var name = string.Concat(Enumerable.Repeat("ñ😀", 200)) + ".pdf";

        var safe = ArchiveEntryNames.Segment(name);

        Assert.True(Encoding.UTF8.GetByteCount(safe) <= 255, $"{Encoding.UTF8.GetByteCount(safe)} bytes");
        Assert.EndsWith(".pdf", safe, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(safe)));
        Assert.False(char.IsHighSurrogate(safe[^5]));
    }

    [Fact]
    public void Reserve_WhenALongNameRepeats_TheNumberedOneStaysWithin255Bytes()
    {
        var names = new ArchiveEntryNames();
        var name = new string('x', 300) + ".xml";

        var first = names.Reserve("", name);
        var second = names.Reserve("", name);

        Assert.NotEqual(first, second);
        Assert.EndsWith(" (2).xml", second, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(first) <= 255);
        Assert.True(Encoding.UTF8.GetByteCount(second) <= 255);
    }

    [Theory]
    [InlineData("a.pdf", true)]
    [InlineData("a.JPG", true)]
    [InlineData("a.png", true)]
    [InlineData("a.zip", true)]
    [InlineData("a.docx", true)]
    [InlineData("clients.xlsx", true)]
    [InlineData("a.xml", false)]
    [InlineData("manifest.json", false)]
    [InlineData("notes.txt", false)]
    public void IsCompressed_ByExtension_StoresOnlyAlreadyCompressedContent(string name, bool stored) =>
        Assert.Equal(stored, ArchiveEntryNames.IsCompressed(name));
}
