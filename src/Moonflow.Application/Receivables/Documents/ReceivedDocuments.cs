using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Uploads;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>
/// Receives a document form and keeps its files only if the work on them commits: a refused file (wrong kind, a DTD, a
/// duplicate, a failed transaction) leaves nothing in the store.
/// </summary>
public sealed class ReceivedDocuments(IFileStorage files, ICurrentUser user)
{
    public async Task<T> ReceiveAsync<T>(IUploadedForm form, Func<ReceivedForm, Task<T>> keep, CancellationToken cancellationToken)
    {
        // Received outside any transaction: a slow client must not hold a database connection while it sends.
        var received = await form.ReceiveFormAsync($"documents-{user.TenantId:N}", cancellationToken);
        var kept = false;
        try
        {
            var result = await keep(received);
            kept = true;
            return result;
        }
        finally
        {
            if (!kept)
            {
                foreach (var file in received.Files.Values)
                {
                    await files.DeleteAsync(file.File.Key, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>A form field as sent, trimmed; null when absent or blank.</summary>
    public static string? Field(ReceivedForm form, string name) =>
        form.Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
