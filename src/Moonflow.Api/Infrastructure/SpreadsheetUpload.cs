using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Api.Infrastructure;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest accepted upload; bigger ones are refused with 413.</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;
}

/// <summary>An uploaded spreadsheet, stored and checked by its content (never its name).</summary>
internal sealed record StoredUpload(string StorageKey, string FileName, SpreadsheetFormat Format, long SizeBytes);

/// <summary>
/// Takes the multipart field <c>file</c>, streams it into the file store while counting bytes (over the limit → 413),
/// and sniffs the content (not a spreadsheet → 415; empty → 400). Rejected files are deleted at once.
/// </summary>
internal sealed class SpreadsheetUpload(IFileStorage storage, IOptions<UploadOptions> options)
{
    public async Task<StoredUpload> ReceiveAsync(HttpRequest request, string folder, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new UploadRejectedException(415, "unsupported_media_type", "Send the file as multipart/form-data in a field named 'file'.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file")
            ?? throw new Moonflow.Domain.Common.DomainValidationException("file", "Attach the spreadsheet in a multipart field named 'file'.");
        var max = options.Value.MaxBytes;
        if (file.Length > max)
        {
            throw TooLarge(max);
        }

        if (file.Length == 0)
        {
            throw new Moonflow.Domain.Common.DomainValidationException("file", "The file is empty.");
        }

        var fileName = Path.GetFileName(file.FileName);
        var stored = await storage.SaveAsync(folder, fileName, async (output, ct) =>
        {
            await using var input = file.OpenReadStream();
            await input.CopyToAsync(output, ct);
        }, cancellationToken);

        SpreadsheetFormat? format;
        await using (var content = await storage.OpenReadAsync(stored.Key, cancellationToken))
        {
            format = SpreadsheetSniffer.Detect(content);
        }

        if (format is null)
        {
            await storage.DeleteAsync(stored.Key, cancellationToken);
            throw new UploadRejectedException(415, "unsupported_file_type", $"'{fileName}' is not an .xlsx workbook or a .csv file (checked by its content).");
        }

        return new StoredUpload(stored.Key, fileName, format.Value, stored.SizeBytes);
    }

    private static UploadRejectedException TooLarge(long max) =>
        new(413, "file_too_large", $"The file is larger than the {max / (1024 * 1024)} MB limit; split it into smaller files.");
}

/// <summary>An upload refused before any work starts (status and code go straight to the problem answer).</summary>
internal sealed class UploadRejectedException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
