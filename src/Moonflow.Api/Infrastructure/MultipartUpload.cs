using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// The multipart body of an upload request, read only when the command's handler asks for the file: each section is
/// read with <see cref="MultipartReader"/> as it arrives, the <c>file</c> section straight into the file store while its
/// bytes are counted and hashed. Past <see cref="UploadOptions.MaxBytes"/> the copy stops, the partial file is deleted
/// and the answer is 413 <c>file_too_large</c>; a declared <c>Content-Length</c> over the limit is refused before a
/// byte is read. Nothing is buffered beyond one copy buffer.
/// </summary>
/// <remarks>
/// The same reader serves forms of several files (<see cref="IUploadedForm"/>: an invoice's <c>xml</c> and <c>pdf</c>); each
/// file is held to the limit on its own, and the body to that many files plus the envelope.
/// </remarks>
internal sealed class MultipartUpload(HttpContext http, IFileStorage storage, UploadOptions options, IReadOnlyList<string>? fileFields = null)
    : IUploadedFile, IUploadedForm
{
    public const string FileField = "file";

    private readonly IReadOnlyList<string> _fileFields = fileFields is { Count: > 0 } ? fileFields : [FileField];

    /// <summary>The body limit of a form of <paramref name="files"/> files: each may reach the file limit.</summary>
    public static long BodyLimit(UploadOptions options, int files) => (options.MaxBytes * files) + EnvelopeBytes;

    /// <summary>Room in the body for the multipart boundaries, the part headers and the small fields beside the file.</summary>
    public const long EnvelopeBytes = 64 * 1024;

    /// <summary>Longest text field accepted beside the file (fields are choices such as <c>dryRun</c>).</summary>
    private const int MaxFieldBytes = 1024;

    private const int CopyBufferBytes = 81920;

    public async Task<ReceivedUpload> ReceiveAsync(string folder, CancellationToken cancellationToken)
    {
        var form = await ReceiveFormAsync(folder, cancellationToken);
        var received = form.Files[_fileFields[0]];
        try
        {
            if (http.Features.Get<UploadIdempotency>() is { } idempotency)
            {
                await idempotency.ClaimAsync(received.Sha256, form.Fields, cancellationToken);
            }

            return new ReceivedUpload(received.File, received.FileName, form.Fields);
        }
        catch
        {
            await DeleteAsync(form.Files.Values);
            throw;
        }
    }

    public async Task<ReceivedForm> ReceiveFormAsync(string folder, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary) is not { Length: > 0 and <= 200 } boundary)
        {
            throw new UploadRejectedException(415, "unsupported_media_type", $"Send the {Expected} as multipart/form-data.");
        }

        if (request.ContentLength > BodyLimit(options, _fileFields.Count))
        {
            // Refused before a byte is read: a client waiting for "100 Continue" never sends the body. One that sends it
            // all before reading the answer (HttpClient does) reads it once Kestrel has drained the body after the
            // answer, which Kestrel does for 5 seconds at most, discarding what it reads; the body's limit would cut
            // that drain short, so it is lifted for this request, whose answer is a refusal anyway.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = null;
            }

            throw UploadRejectedException.TooLarge(options.MaxBytes);
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var files = new Dictionary<string, ReceivedFormFile>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var reader = new MultipartReader(boundary.ToString(), request.Body);
            while (await ReadAsync(() => reader.ReadNextSectionAsync(cancellationToken)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid($"Each part of the form needs a 'Content-Disposition: form-data' header; attach the {Expected}.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                if (_fileFields.FirstOrDefault(f => f.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } fileField)
                {
                    if (files.ContainsKey(fileField))
                    {
                        throw new DomainValidationException(fileField, $"Send one file in the field '{fileField}'.");
                    }

                    files[fileField] = await StoreAsync(section, FileName(disposition), folder, cancellationToken);
                }
                else if (disposition.IsFileDisposition())
                {
                    throw Invalid($"Attach the {Expected}, not a file in a field named '{name}'.");
                }
                else
                {
                    fields[name] = await ReadFieldAsync(section, name, cancellationToken);
                }
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit on the whole body (the files and their envelope) gives the same answer as the file's.
            await DeleteAsync(files.Values);
            throw UploadRejectedException.TooLarge(options.MaxBytes);
        }
        catch
        {
            await DeleteAsync(files.Values);
            throw;
        }

        if (_fileFields.FirstOrDefault(f => !files.ContainsKey(f)) is { } missing)
        {
            await DeleteAsync(files.Values);
            throw new DomainValidationException(missing, _fileFields.Count == 1 ? $"Attach the {Expected}." : $"Attach the file '{missing}' too ({Expected}).");
        }

        return new ReceivedForm(files, fields);
    }

    /// <summary>What the form expects, for messages: "file in a multipart field named 'file'", or the fields of a form.</summary>
    private string Expected => _fileFields.Count == 1
        ? $"file in a multipart field named '{_fileFields[0]}'"
        : $"files in the multipart fields {string.Join(" and ", _fileFields.Select(f => $"'{f}'"))}";

    private static DomainValidationException Invalid(string message) => new(FileField, message);

    /// <summary>
    /// A read of the body: a body that is not well-formed multipart (the reader's <see cref="InvalidDataException"/>, or
    /// its <see cref="IOException"/> for a body that ends too soon) is a 400; the server's own errors pass as they are.
    /// </summary>
    private static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && ex is not BadHttpRequestException))
        {
            throw Invalid($"The multipart body could not be read ({ex.Message}); send a well-formed multipart/form-data body.");
        }
    }

    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
        name = Path.GetFileName(name.Replace('\\', '/'));
        return string.IsNullOrWhiteSpace(name) ? "upload" : name.Length <= 200 ? name : name[^200..];
    }

    /// <summary>Copies the section into the file store, counting and hashing its bytes; over the limit, the partial file goes.</summary>
    private async Task<ReceivedFormFile> StoreAsync(
        MultipartSection section, string fileName, string folder, CancellationToken cancellationToken)
    {
        var max = options.MaxBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var stored = await storage.SaveAsync(
            folder, fileName,
            async (output, token) =>
            {
                var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
                try
                {
                    long total = 0;
                    int read;
                    while ((read = await ReadAsync(() => section.Body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), token).AsTask())) > 0)
                    {
                        total += read;
                        if (total > max)
                        {
                            // The store deletes what it wrote when the content fails.
                            throw UploadRejectedException.TooLarge(max);
                        }

                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), token);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            cancellationToken);
        return new ReceivedFormFile(stored, fileName, section.ContentType, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = await ReadAsync(() => section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).AsTask());
        return length <= MaxFieldBytes
            ? System.Text.Encoding.UTF8.GetString(buffer, 0, length)
            : throw new DomainValidationException(name, $"The form field '{name}' is longer than {MaxFieldBytes} bytes.");
    }

    private async Task DeleteAsync(IEnumerable<ReceivedFormFile> received)
    {
        foreach (var stored in received.ToList())
        {
            await storage.DeleteAsync(stored.File.Key, CancellationToken.None);
        }
    }
}

/// <summary>An upload refused before any work starts (status and code go straight to the problem answer).</summary>
internal sealed class UploadRejectedException(int status, string code, Moonflow.Domain.Common.ErrorText message) : Exception(message), Moonflow.Domain.Common.ILocalizableError
{
    public Moonflow.Domain.Common.ErrorText Text { get; } = message;

    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>The one answer to a file over the limit, however far over it is and however it was sent.</summary>
    public static UploadRejectedException TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "file_too_large", $"The file is larger than the {max / (1024.0 * 1024):0.#} MB limit; split it into smaller files.");
}
