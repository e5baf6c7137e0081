namespace Moonflow.Application.Processes.Uploads;

/// <summary>The limits of every upload (section <c>Uploads</c>).</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest accepted file; a bigger one is refused with 413 while it streams, and nothing past it is kept.</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// Most failed rows kept (as uploaded) for the error workbook. Every failed row still gets its item; the workbook lists
    /// the first ones and says how many it left out.
    /// </summary>
    public int MaxErrorRows { get; set; } = 100_000;
}
