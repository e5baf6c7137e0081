using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

/// <summary>
/// Exports and imports grow with tenants' data, so the adapters must hold a row at a time. Held memory is sampled
/// half-way through 100,000 rows × 13 columns; a DOM or a buffered zip entry would hold hundreds of megabytes by then.
/// </summary>
public sealed class StreamingMemoryTests : IDisposable
{
    private const int Rows = 100_000;
    private const long HeldBytesLimit = 64L * 1024 * 1024;

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task WriteAndReadAsync_When100000RowsOf13Columns_HeldMemoryStaysFlat()
    {
        var path = folder.File("large.xlsx");
        var columns = Enumerable.Range(1, 13)
            .Select(i => new SpreadsheetColumn($"Column {i}", (i % 4) switch { 0 => CellKind.Money, 1 => CellKind.Date, 2 => CellKind.Integer, _ => CellKind.Text }))
            .ToList();
        long heldWhileWriting = 0;

        IEnumerable<object?[]> Generate()
        {
            for (var r = 1; r <= Rows; r++)
            {
                if (r == Rows / 2)
                {
                    heldWhileWriting = HeldBytes();
                }

                yield return columns.Select<SpreadsheetColumn, object?>((c, i) => c.Kind switch
                {
                    CellKind.Money => r * 1.25m,
                    CellKind.Date => new DateOnly(2026, 1, 1).AddDays(r % 365),
                    CellKind.Integer => (long)r * i,
                    _ => $"text {r} in column {i}",
                }).ToArray();
            }
        }

        var written = await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, columns, Generate());

        long read = 0;
        long heldWhileReading = 0;
        await using (var file = File.OpenRead(path))
        {
            await foreach (var row in new Infrastructure.Spreadsheets.SpreadsheetReader().ReadRowsAsync(file, SpreadsheetFormat.Xlsx, CancellationToken.None))
            {
                if (++read == Rows / 2)
                {
                    heldWhileReading = HeldBytes();
                    Assert.Equal(13, row.Cells.Count);
                }
            }
        }

        Assert.Equal(Rows, written);
        Assert.Equal(Rows + 1, read);
        Assert.InRange(heldWhileWriting, 1, HeldBytesLimit);
        Assert.InRange(heldWhileReading, 1, HeldBytesLimit);
    }

    /// <summary>The managed heap after a full compacting collection: what is still referenced.</summary>
    private static long HeldBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }
}
