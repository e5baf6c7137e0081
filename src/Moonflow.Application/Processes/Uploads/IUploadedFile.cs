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
