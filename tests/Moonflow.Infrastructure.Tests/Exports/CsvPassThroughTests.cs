using Moonflow.Infrastructure.Exports;

namespace Moonflow.Infrastructure.Tests.Exports;

/// <summary>
/// PostgreSQL's csv on its way to a download: CRLF record ends, and text that starts like a formula behind a quote, in
/// the very bytes a value that itself began with a quote would have had — however the stream happens to be cut.
/// </summary>
public sealed class CsvPassThroughTests
{
    // Columns: text, number, text (an enum-like column would be false like the number).
    private static readonly bool[] Neutralized = [true, false, true];

    public static TheoryData<string, string> Records() => new()
    {
        { "plain,1,text\n", "plain,1,text\r\n" },
        { "=SUM(A1),-5,@who\n", "'=SUM(A1),-5,'@who\r\n" },
        { "+57 300,+3,-x\n", "'+57 300,+3,'-x\r\n" },
        { "\"=HYPERLINK(\"\"http://x\"\")\",2,\"a,b\"\n", "\"'=HYPERLINK(\"\"http://x\"\")\",2,\"a,b\"\r\n" },
        { "\"\rcarriage\",3,\"line\nbreak\"\n", "\"'\rcarriage\",3,\"line\nbreak\"\r\n" },
        { "\ttab,4,\"\"\n", "'\ttab,4,\"\"\r\n" },
        { ",,\n", ",,\r\n" },
        { "\"\"\"=quoted\",5,\"-\"\n", "\"\"\"=quoted\",5,\"'-\"\r\n" },
        { "a,6,b\nc,7,=d\n", "a,6,b\r\nc,7,'=d\r\n" },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Write_WhenCutAnywhere_GivesTheSameFileAsInOnePiece(string copied, string expected)
    {
        for (var cut = 0; cut <= copied.Length; cut++)
        {
            var output = new StringWriter();
            var pass = new CsvPassThrough(output, Neutralized);

            pass.Write(copied.AsSpan(0, cut));
            pass.Write(copied.AsSpan(cut));

            Assert.Equal(expected, output.ToString());
            Assert.Equal(expected.Split("\r\n").Length - 1, pass.Count);
        }
    }

    [Fact]
    public void Write_WhenFedOneCharacterAtATime_NeutralisesAndEndsEveryRecord()
    {
        const string copied = "=a,1,b\n\"@c\",2,\"+d\"\n";
        var output = new StringWriter();
        var pass = new CsvPassThrough(output, Neutralized);

        foreach (var c in copied)
        {
            pass.Write([c]);
        }

        Assert.Equal("'=a,1,b\r\n\"'@c\",2,\"'+d\"\r\n", output.ToString());
        Assert.Equal(2, pass.Count);
    }
}
