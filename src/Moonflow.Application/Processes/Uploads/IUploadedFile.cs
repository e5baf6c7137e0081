using Moonflow.Application.Common.Files;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// The file of an upload request, not read yet. A command carries it, and its handler receives it once the pipeline
/// behaviours have run, so a caller without the permission never has a byte stored.
/// </summary>
public interface IUploadedFile
{
    /// <summary>
    /// Streams the file into the file store under <paramref name="folder"/>, counting its bytes: past
    /// <see cref="UploadOptions.MaxBytes"/> it stops, deletes what it wrote and refuses the upload (413); a missing
    /// <c>file</c> field is a 400. The other form fields come back as sent. What the file holds is the pipeline's to check.
    /// </summary>
    Task<ReceivedUpload> ReceiveAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>An upload stored in the file store, as sent.</summary>
public sealed record ReceivedUpload(StoredFile File, string FileName, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// A multipart form of several named files (an invoice's <c>xml</c> and <c>pdf</c>) plus small text fields, not read yet:
/// like <see cref="IUploadedFile"/>, its handler receives it after the pipeline behaviours, so an unauthorized caller has
/// nothing stored.
/// </summary>
public interface IUploadedForm
{
    /// <summary>
    /// Streams each file field into the file store under <paramref name="folder"/> as it arrives, counting and hashing
    /// its bytes: a file past <see cref="UploadOptions.MaxBytes"/> is a 413 and nothing sent is kept; a missing or repeated
    /// file field, or a file in a field the form does not take, is a 400. The caller owns the stored files from then on
    /// (and deletes them when it refuses them).
    /// </summary>
    Task<ReceivedForm> ReceiveFormAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>A form's files, by field name, and its text fields as sent.</summary>
public sealed record ReceivedForm(IReadOnlyDictionary<string, ReceivedFormFile> Files, IReadOnlyDictionary<string, string> Fields);

/// <summary>One stored file of a form: where it is, the name and content type it was sent with, and the SHA-256 of its bytes (hex).</summary>
public sealed record ReceivedFormFile(StoredFile File, string FileName, string? DeclaredContentType, string Sha256);
