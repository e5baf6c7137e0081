using System.Runtime.CompilerServices;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Spreadsheets;

namespace Moonflow.Bench;

/// <summary>
/// Exports and imports grow with tenants' data, so the spreadsheet adapters must hold a row at a time: the managed
/// heap still referenced half-way through writing and reading 100,000 rows × 13 columns, in this process, after a full
/// compacting collection. A DOM or a buffered zip entry would hold hundreds of megabytes by then.
/// </summary>
internal static class StreamingMemoryBench
{
    private const int Rows = 100_000;
    private const double TargetMb = 64;

    public static async Task RunAsync(List<(string Measure, string Value, string Note)> results)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"moonflow-bench-streaming-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var format in new[] { SpreadsheetFormat.Xlsx, SpreadsheetFormat.Csv })
            {
                var (writing, reading, read) = await MeasureAsync(Path.Combine(folder, $"large.{format.ToString().ToLowerInvariant()}"), format);
                var name = format.ToString().ToLowerInvariant();
                results.Add(($"managed heap held half-way through writing {Rows:N0} rows × 13 columns ({name})", $"{writing:F1} MB", $"target ≤ {TargetMb:F0} MB — {Verdict(writing)}"));
                results.Add(($"managed heap held half-way through reading them back ({name})", $"{reading:F1} MB", $"{read:N0} rows read; target ≤ {TargetMb:F0} MB — {Verdict(reading)}"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Verdict(double mb) => mb <= TargetMb ? "met" : "NOT met";

    private static async Task<(double WritingMb, double ReadingMb, long Read)> MeasureAsync(string path, SpreadsheetFormat format)
    {
        var columns = Enumerable.Range(1, 13)
            .Select(i => new SpreadsheetColumn($"Column {i}", (i % 4) switch { 0 => CellKind.Money, 1 => CellKind.Date, 2 => CellKind.Integer, _ => CellKind.Text }))
            .ToList();
        double heldWhileWriting = 0;

        async IAsyncEnumerable<object?[]> Generate([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var r = 1; r <= Rows; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (r == Rows / 2)
                {
                    heldWhileWriting = HeldMb();
                }

                yield return columns.Select<SpreadsheetColumn, object?>((c, i) => c.Kind switch
                {
                    CellKind.Money => r * 1.25m,
                    CellKind.Date => new DateOnly(2026, 1, 1).AddDays(r % 365),
                    CellKind.Integer => (long)r * i,
                    _ => $"text {r} in column {i}",
                }).ToArray();
            }

            await Task.CompletedTask;
        }

        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await new SpreadsheetWriter().WriteAsync(file, format, "Data", columns, Generate(), CancellationToken.None);
        }

        long read = 0;
        double heldWhileReading = 0;
        await using (var file = File.OpenRead(path))
        {
            await foreach (var _ in new SpreadsheetReader().ReadRowsAsync(file, format, CancellationToken.None))
            {
                if (++read == Rows / 2)
                {
                    heldWhileReading = HeldMb();
                }
            }
        }

        return (heldWhileWriting, heldWhileReading, read);
    }

    /// <summary>The managed heap after a full compacting collection: what is still referenced.</summary>
    private static double HeldMb()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes / (1024.0 * 1024);
    }
}
